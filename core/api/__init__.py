"""The JSON API's machinery, shared by every app that serves part of it: the error
shape (errors), JSON bodies (bodies), keyset pages (pagination), the Idempotency-Key
header (idempotency), the method-dispatching view (views) and the middleware that keeps
every answer under /api/ and /oauth2/ JSON (middleware). Each app owns its routes and
OpenAPI fragment; the top-level `api` package puts them together."""
