"""The transformers lab: the machinery behind ``notebooks/01_transformers``.

    minigpt   a tiny Llama-shaped GPT in NumPy, to run, inspect and time on a laptop CPU
    measure   this machine's matmul FLOP/s and memory bandwidth, and the decode time they predict

The formulas they check (parameter counts, FLOPs, KV cache, the roofline) live in ``techpm.calc``.
"""
