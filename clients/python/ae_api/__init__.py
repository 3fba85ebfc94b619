"""Safety API clients. The product's quick reference lives in `ae_api.safety`."""
