"""Tools for the course's authors and CI: notebook conventions, badges, exercise builds, execution.

Nothing here is needed by a learner; ``techpm`` never imports this package on its own.
"""
