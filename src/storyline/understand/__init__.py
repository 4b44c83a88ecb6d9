"""Understanding: the facts an article states (entities, quotes, dates, figures), one module per kind.

Every fact carries character offsets into ``Article.text``.
"""
