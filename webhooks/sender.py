"""One HTTP POST to a checked address (webhooks.safety.Target), with urllib3: at most
WEBHOOK_TIMEOUT seconds in all, no redirects followed, the answer's first
WEBHOOK_RESPONSE_BYTES kept. Connections are reused per target within a worker."""

import time
from dataclasses import dataclass

import urllib3
from django.conf import settings

from .safety import Target

_pools: dict[Target, urllib3.HTTPConnectionPool] = {}


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    body: str
    latency_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _pool(target: Target) -> urllib3.HTTPConnectionPool:
    pool = _pools.get(target)
    if pool is None:
        if target.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                target.address,
                target.port,
                server_hostname=target.host,
                assert_hostname=target.host,
                cert_reqs="CERT_REQUIRED",
                maxsize=1,
            )
        else:
            pool = urllib3.HTTPConnectionPool(target.address, target.port, maxsize=1)
        _pools[target] = pool
    return pool


def post(target: Target, body: bytes, headers: dict) -> Answer:
    started = time.perf_counter()
    host = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
    try:
        response = _pool(target).urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "host": host},
            timeout=urllib3.Timeout(total=settings.WEBHOOK_TIMEOUT),
            retries=False,
            redirect=False,
            preload_content=False,
        )
        try:
            text = response.read(settings.WEBHOOK_RESPONSE_BYTES)
            response.drain_conn()
        finally:
            response.release_conn()
        status, shown = response.status, text.decode("utf-8", "replace")
    except urllib3.exceptions.HTTPError as error:
        status, shown = None, _reason(error)
    latency = round((time.perf_counter() - started) * 1000)
    return Answer(status, shown, latency)


def _reason(error: Exception) -> str:
    """What went wrong, in a few words (never the request: it holds the signature)."""
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return f"No answer within {settings.WEBHOOK_TIMEOUT} s."
    if isinstance(error, urllib3.exceptions.SSLError):
        return "TLS failed: the certificate is not valid for this host."
    if isinstance(error, urllib3.exceptions.NewConnectionError):
        return "The connection was refused or the host could not be reached."
    return f"The request failed ({type(error).__name__})."
