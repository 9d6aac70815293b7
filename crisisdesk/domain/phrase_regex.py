"""The little phrase language shared by the word tables (cause detection, tone checks).

A phrase is words separated by spaces; `..` between two words lets up to four other words stand
between them. Each table decides how one word becomes a regex (stems, macros, folding); this module
only joins the words, so both tables read phrases the same way.
"""


def join_words(words, word_regex, separator, gap):
    """The regex for `words` in order: `separator` between neighbours, `gap` where a `..` stands."""
    parts, between = [], None
    for word in words:
        if word == "..":
            between = gap
            continue
        if parts:
            parts.append(between or separator)
        parts.append(word_regex(word))
        between = None
    return "".join(parts)
