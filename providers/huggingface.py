"""Hugging Face Hub `GET /api/models`: an unbounded catalog, read one pipeline tag at a time.

Built from the Hub's published API reference (https://huggingface.co/docs/hub/api, "GET
/api/models", and `huggingface_hub.HfApi.list_models`), not from a capture: no real response was
found, and the test fixture is CONSTRUCTED from that reference. The Hub lists more than a million
repos, so the list is asked for per `pipeline_tag` (the Hub's one statement of what a model does,
and the only capability source used here), sorted by `downloads` (last 30 days), restricted to
models some Inference Provider serves (`inference_provider=all`: the ones an app can call), and
paged through the RFC 5988 `Link: <url>; rel="next"` header up to a fixed bound. A list entry
has no context window and no price. `createdAt` is `2022-03-02T23:29:04.000Z` for every repo
created before the Hub recorded dates: that placeholder is read as unknown. Chat is claimed only
for text generators tagged `conversational`; base models keep `content` alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from providers._capabilities import MODALITY_CAPABILITIES, from_modalities, settle
from providers._convert import count_or_none, string_list, text_or_none, timestamp
from providers._records import Draft, Entry, parse_entries
from providers._spec import JSON, Capability, ModelRecord, NextPage, ProviderSpec

BASE_URL = "https://huggingface.co/api"
_UNDATED = "2022-03-02T23:29:04.000Z"  # the Hub's createdAt for repos older than its records
# pipeline_tag -> (input, output) modalities, in the words `from_modalities` understands.
PIPELINES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "text-generation": (("text",), ("text",)),
    "image-text-to-text": (("text", "image"), ("text",)),
    "text-to-image": (("text",), ("image",)),
    "image-to-image": (("image",), ("image",)),
    "automatic-speech-recognition": (("audio",), ("transcription",)),
    "text-to-speech": (("text",), ("speech",)),
    "feature-extraction": (("text",), ("embeddings",)),
    "sentence-similarity": (("text",), ("embeddings",)),
    "text-ranking": (("text",), ("rerank",)),
    "text-to-video": (("text",), ("video",)),
    "image-to-video": (("image",), ("video",)),
}
_APP_TAGS = (  # what an app calls a hosted model for; one request (and up to 2 pages) each
    "text-generation",
    "image-text-to-text",
    "text-to-image",
    "automatic-speech-recognition",
    "text-to-speech",
    "feature-extraction",
    "sentence-similarity",
    "text-ranking",
)
_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]*)*)")
_REL = re.compile(r';\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))', re.IGNORECASE)


def parse_models(payload: JSON) -> list[ModelRecord]:
    """Every model of one page (a bare JSON array), first entry winning when an id repeats."""
    return parse_entries(payload, "data", _build)


def next_page(payload: JSON, headers: Mapping[str, str]) -> NextPage:
    """The `rel="next"` URL of the `Link` header (any header case), as sent: absolute, or
    relative to the page (the fetch loop resolves it, and refuses another origin); else None."""
    value = ",".join(v for k, v in headers.items() if k.lower() == "link")
    for target, params in _LINK.findall(value):
        rels = " ".join("".join(rel) for rel in _REL.findall(params)).lower().split()
        url = str(target).strip()
        if "next" in rels and urlsplit(url).scheme in ("http", "https", ""):
            return url
    return None


def _build(entry: Entry) -> ModelRecord | None:
    draft = Draft.of(entry)
    if draft is None:
        return None
    created = entry.get("createdAt")
    draft.put("created_at", None if created == _UNDATED else timestamp(created), "createdAt")
    author = text_or_none(entry.get("author"))
    owner = author or (draft.id.partition("/")[0] if "/" in draft.id else None)
    draft.put("owned_by", owner, "author" if author else "id")
    draft.put("popularity", count_or_none(entry.get("downloads")), "downloads")
    inputs, outputs = PIPELINES.get(text_or_none(entry.get("pipeline_tag")) or "", ((), ()))
    draft.put("input_modalities", inputs, "pipeline_tag")
    draft.put("output_modalities", outputs, "pipeline_tag")
    detected = from_modalities(inputs, outputs, "pipeline_tag")
    tags = string_list(entry.get("tags"))
    if Capability.CHAT in detected and tags and "conversational" not in tags:
        del detected[Capability.CHAT]  # a base model: it completes text, it does not chat
    return draft.build(
        settle(detected, draft.id, text_default=False, declared=MODALITY_CAPABILITIES)
    )


SPEC = ProviderSpec(
    kind="huggingface",
    display_name="Hugging Face",
    base_url=BASE_URL,
    models_path="/models",
    parse_models=parse_models,
    requests=tuple(
        {
            "pipeline_tag": tag,
            "sort": "downloads",
            "direction": "-1",
            "limit": "100",
            "inference_provider": "all",
        }
        for tag in _APP_TAGS
    ),
    next_page=next_page,
    max_pages=2,
    complete_list=False,  # the most downloaded per tag: a model absent may still be served
    docs_url="https://huggingface.co/docs/hub/api#get-apimodels",
)
