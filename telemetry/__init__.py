"""What the server tells its operator: request ids and JSON logs (`logs`), Prometheus
metrics over HTTP (`exposition`), and OpenTelemetry tracing (`tracing`, imported only when
the `OTEL_*` variables ask for it). The series themselves are declared in `catalog.metrics`."""
