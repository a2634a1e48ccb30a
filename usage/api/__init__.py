"""The Usage API and the internal usage ingest: handlers (views), routes (urls), their
part of the OpenAPI document (openapi), and the platform tokens' authentication."""
