"""A simulated LLM API platform, to measure what an API product manager decides.

Each part is a module of its own, imported where it is used (``import techpm`` loads none of them):

- ``techpm.api_lab.sdk``: the real ``anthropic`` SDK run offline against a scripted API (retries, error
  classes, streaming events, deprecation warnings), all observed, nothing mocked inside the SDK;
- ``techpm.api_lab.load``: bursty traffic from several tenants through a token-bucket limiter, clients that
  retry, and the latency each tenant sees; a thundering herd of retries under each jitter strategy;
- ``techpm.api_lab.queueing``: a discrete-event simulation of a multi-server queue (Little's law, measured);
- ``techpm.api_lab.requestlog``: a seeded request log of a developer platform (sign-ups, calls, errors);
- ``techpm.api_lab.dashboard``: the metrics of the method's section 6 computed from that log;
- ``techpm.api_lab.idempotency``: retries with and without idempotency keys against a server that charges.
"""
