"""The HTTP API (/api/v1/): JSON for integrations and the pages' scripts, over the same services and
permission rules as the pages."""
