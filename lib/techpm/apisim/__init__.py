"""A simulated LLM API platform, to measure what an API product manager decides.

Each part is a module of its own, imported where it is used (``import techpm`` loads none of them):

- ``techpm.apisim.sdk``: the real ``anthropic`` SDK run offline against a scripted API (retries, error
  classes, streaming events, deprecation warnings), all observed, nothing mocked inside the SDK;
- ``techpm.apisim.load``: bursty traffic from several tenants through a token-bucket limiter, clients that
  retry, and the latency each tenant sees; a thundering herd of retries under each jitter strategy;
- ``techpm.apisim.queueing``: a discrete-event simulation of a multi-server queue (Little's law, measured);
- ``techpm.apisim.requestlog``: a seeded request log of a developer platform (sign-ups, calls, errors);
- ``techpm.apisim.dashboard``: the metrics of the method's section 6 computed from that log;
- ``techpm.apisim.idempotency``: retries with and without idempotency keys against a server that charges.
"""
