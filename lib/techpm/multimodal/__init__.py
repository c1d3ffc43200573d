"""The multimodal lesson's lab (08): cross-modal retrieval on real packaged images, and its figures.

``retrieval``: scikit-learn's digits and their captions embedded into one shared space (CCA or least
squares), measured with recall@k both ways. ``plots``: an image cut into patches, the shared space,
voice latency budgets, and what resizing does to legible text. scikit-learn is imported only when used.
"""
