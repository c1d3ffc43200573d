"""The workshop kit: slide decks, cohort copies and a static site, each built by one command.

    techpm workshop slides  [--out build/slides]     # a reveal.js deck per lesson (nbconvert)
    techpm workshop cohort  PARAMS.json --out DIR    # a cohort's notebooks with its parameters, executed
    techpm workshop site    [--out build/site]       # every executed notebook as HTML, with navigation
"""
