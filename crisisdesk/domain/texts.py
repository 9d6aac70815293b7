"""N_(): marks a label for the panel's translation catalogue and returns it unchanged.

Domain and service code stays free of Flask; the web layer translates the marked text at display time
(web/i18n.translated). Babel's extraction knows `N_` as a keyword.
"""


def N_(text):  # noqa: N802  (the gettext convention)
    return text
