"""Agents (lesson 07): a tool-use loop in the Messages API format, its tools, a sandbox, an MCP server,
memory strategies and context-window measurements.

- ``tools``: the toolbox (course calculators, 05's docs search, the Python sandbox, an approval-gated writer);
- ``runtime``: the loop, driven by the offline ``policy`` or by Claude through the ``anthropic`` SDK;
- ``tasks``: a task set with checkable answers and the evals (success interval, trajectories, cost per success);
- ``sandbox``: the subprocess runner with time, CPU, memory and file limits;
- ``mcp_server``: the same tools over the Model Context Protocol (stdio), and a client;
- ``memory`` and ``context``: memory strategies, long-context costs, lost in the middle, fine-tune vs. retrieve.

Submodules are imported on demand, so ``import techpm`` stays fast.
"""
