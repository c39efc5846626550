"""Main-text extraction from HTML pages: drop scripts, navigation and page furniture, keep the article's prose."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

_FURNITURE = "script, style, noscript, nav, header, footer, aside, form, iframe, svg, figure, button, template"
# Reader comments, related links and share bars, by their class or id: removed only inside the article's root, and
# never an element that holds the root ("has-promo-bar" on <body>). "comments", not "comment": an opinion page's
# body may well be class="commentary".
_BLOCKS_BY_NAME = (
    "[class*=comments], [id*=comments], [id*=disqus], [class*=related], [id*=related], [class~=share], "
    "[class*=share-], [id*=share], [class*=newsletter], [class*=promo]"
)
_BLOCKS = "h1, h2, h3, h4, p, li, blockquote, pre"


def extract_html(html: str) -> tuple[str, str]:
    """Return (title, main text) of an HTML page, one paragraph per line."""
    tree = LexborHTMLParser(html)
    title = ""
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        if node is not None and node.text(strip=True):
            title = " ".join(node.text().split())
            break
    for node in tree.css(_FURNITURE):
        node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    if root is None:
        return title, ""
    for node in root.css(_BLOCKS_BY_NAME):
        if node != root:
            node.decompose()
    paragraphs = [" ".join(node.text(separator=" ").split()) for node in root.css(_BLOCKS)]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        paragraphs = [line.strip() for line in root.text(separator="\n").splitlines() if line.strip()]
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    return title, "\n".join(paragraphs)
