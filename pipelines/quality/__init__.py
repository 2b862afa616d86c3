"""Great Expectations suites run against warehouse tables (no Dagster here)."""
