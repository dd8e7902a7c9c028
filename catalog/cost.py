"""What a request would cost on a model: exact Decimal USD, price tiers honoured.

>>> from decimal import Decimal
>>> from providers import ModelRecord, PriceTier
>>> pro = ModelRecord(id="gemini-2.5-pro", name="Gemini 2.5 Pro", input_price=Decimal("1.25"),
...                   output_price=Decimal("10"),
...                   price_tiers=(PriceTier(200_000, Decimal("2.5"), Decimal("15")),))
>>> estimated_cost(pro, Usage(1_000_000, 0)), estimated_cost(pro, Usage(100_000, 10_000))
(Decimal('2.5'), Decimal('0.225'))
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from errors import InvalidInputError
from providers import ModelRecord

MAX_TOKENS = 10**12
"""The largest token count an estimate takes (a bound for the input, not a model's limit)."""
_MILLION = Decimal(1_000_000)


@dataclass(frozen=True, slots=True)
class Usage:
    """A request's size in tokens."""

    input_tokens: int
    output_tokens: int

    def check(self) -> Usage:
        for name, value in (
            ("inputTokens", self.input_tokens),
            ("outputTokens", self.output_tokens),
        ):
            if not 0 <= value <= MAX_TOKENS:
                raise InvalidInputError(f"{name} must be between 0 and {MAX_TOKENS}, not {value}")
        return self


def prices_for(model: ModelRecord, input_tokens: int) -> tuple[Decimal | None, Decimal | None]:
    """The (input, output) prices per 1M a request of `input_tokens` pays: the highest tier
    whose threshold its input exceeds applies to all its tokens (genai-prices' "cliff")."""
    input_price, output_price = model.input_price, model.output_price
    for tier in model.price_tiers:
        if input_tokens > tier.above_input_tokens:
            input_price = tier.input_price if tier.input_price is not None else input_price
            output_price = tier.output_price if tier.output_price is not None else output_price
    return input_price, output_price


def estimated_cost(model: ModelRecord, usage: Usage) -> Decimal | None:
    """USD for `usage`, or `None` when a price it needs is unknown (a zero count needs none)."""
    input_price, output_price = prices_for(model, usage.input_tokens)
    total = Decimal(0)
    for tokens, price in ((usage.input_tokens, input_price), (usage.output_tokens, output_price)):
        if tokens == 0:
            continue
        if price is None:
            return None
        total += price * tokens / _MILLION
    return _plain(total)


def _plain(value: Decimal) -> Decimal:
    """Without trailing zeros, never in exponent form (`100`, not `1E+2`)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
