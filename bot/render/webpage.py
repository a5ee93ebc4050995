"""An answer as Discord draws it, in a standalone HTML page (dark theme) for `preview --html`.

Embeds (coloured bar, title, description, fields, footer, attached image), the page buttons and the
"Open an entry…" menu. Every piece of text is HTML-escaped first, then the little markdown Discord
shows in embeds (bold, italics, code, masked links, block quotes, escapes, timestamps, mentions)
is turned into tags — so stored text can never inject markup into the page.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime

import discord

_CSS = """
body{background:#313338;color:#dbdee1;font:16px/1.375 'gg sans','Noto Sans',Helvetica,Arial,sans-serif;
margin:0;padding:16px}
.msg{max-width:520px}
.embed{display:flex;background:#2b2d31;border-radius:4px;margin:4px 0;max-width:516px;overflow:hidden}
.bar{width:4px;flex:none}
.body{padding:8px 16px 16px 12px;min-width:0;overflow-wrap:anywhere}
.title{font-weight:600;color:#f2f3f5;margin-top:8px}
.desc,.fv{font-size:14px;margin-top:8px;white-space:pre-wrap}
.fields{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:8px;margin-top:8px}
.field{grid-column:1/4}.field.inline{grid-column:auto}
.fn{font-size:14px;font-weight:600;color:#f2f3f5}
.footer{font-size:12px;color:#b5bac1;margin-top:8px}
.img{max-width:100%;border-radius:4px;margin-top:16px}
a{color:#00a8fc;text-decoration:none}
pre{background:#1e1f22;border-radius:4px;padding:6px;margin:4px 0;white-space:pre-wrap}
pre code{padding:0;font-size:85%}
code{background:#1e1f22;border-radius:3px;padding:0 .2em;font-size:85%}
blockquote{border-left:4px solid #4e5058;margin:0;padding-left:8px}
.ts{background:#3f4147;border-radius:3px;padding:0 2px}
.row{display:flex;gap:8px;margin-top:8px}
.btn{background:#4e5058;color:#fff;border-radius:3px;padding:2px 16px;font-size:14px;line-height:32px}
.btn.off{opacity:.5}
.select{background:#1e1f22;border-radius:4px;padding:8px;width:100%;max-width:400px;color:#949ba4;font-size:14px}
.select ul{margin:6px 0 0;padding-left:18px;color:#dbdee1}
@media (max-width:480px){.fields{grid-template-columns:minmax(0,1fr)}.field.inline{grid-column:1}}
"""

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ITALIC = re.compile(r"(?<![\w*\\])[*_](?![\s*_])(.+?)(?<![\s\\])[*_](?![\w*])", re.S)
_FENCE = re.compile(r"```(?:[a-z]*\n)?(.*?)\n?```", re.S)
_CODE = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
_TIMESTAMP = re.compile(r"&lt;t:(\d{1,12}):[a-zA-Z]&gt;")
_MENTION = re.compile(r"&lt;@!?(\d+)&gt;")
_ESCAPED = re.compile(r"\\([\\*_`~|>#\-.\[\]()])")


def markdown(text: str) -> str:
    """Discord embed markdown as HTML, the text escaped first."""
    codes: list[str] = []

    def keep_code(m: re.Match[str]) -> str:
        codes.append(f"<code>{m.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    def keep_block(m: re.Match[str]) -> str:
        codes.append(f"<pre><code>{m.group(1)}</code></pre>")
        return f"\x00{len(codes) - 1}\x00"

    out = html.escape(text, quote=True)
    out = _FENCE.sub(keep_block, out)
    out = _CODE.sub(keep_code, out)
    out = _ESCAPED.sub(lambda m: f"&#{ord(m.group(1))};", out)
    out = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', out)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    out = _ITALIC.sub(r"<em>\1</em>", out)
    out = _TIMESTAMP.sub(_timestamp, out)
    out = _MENTION.sub(r'<span class="ts">@user</span>', out)
    out = "\n".join(
        f"<blockquote>{line[5:]}</blockquote>" if line.startswith("&gt; ") else line
        for line in out.split("\n")
    )
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], out)


def _timestamp(m: re.Match[str]) -> str:
    at = datetime.fromtimestamp(int(m.group(1)), UTC)
    return f'<span class="ts">{at.day} {at:%b %Y %H:%M} UTC</span>'


def _embed(embed: discord.Embed, images: dict[str, bytes]) -> str:
    colour = f"#{embed.colour.value:06x}" if embed.colour is not None else "#1e1f22"
    parts = []
    if embed.title:
        parts.append(f'<div class="title">{markdown(embed.title)}</div>')
    if embed.description:
        parts.append(f'<div class="desc">{markdown(embed.description)}</div>')
    if embed.fields:
        fields = "".join(
            f'<div class="field{" inline" if f.inline else ""}"><div class="fn">{markdown(f.name or "")}</div>'
            f'<div class="fv">{markdown(f.value or "")}</div></div>'
            for f in embed.fields
        )
        parts.append(f'<div class="fields">{fields}</div>')
    url = embed.image.url or ""
    if url.startswith("attachment://") and (data := images.get(url.removeprefix("attachment://"))):
        b64 = base64.b64encode(data).decode("ascii")
        parts.append(f'<img class="img" alt="attached picture" src="data:image/png;base64,{b64}">')
    if embed.footer.text:
        parts.append(f'<div class="footer">{markdown(embed.footer.text)}</div>')
    return f'<div class="embed"><div class="bar" style="background:{colour}"></div><div class="body">{"".join(parts)}</div></div>'


def answer_html(
    messages: Sequence[Sequence[discord.Embed]],
    *,
    menus: Sequence[Sequence[tuple[str, str]]] = (),
    files: Sequence[tuple[str, bytes]] = (),
    paged: bool = False,
    title: str = "preview",
) -> str:
    """A standalone page: each message's embeds, its page buttons and its "Open an entry…" menu."""
    images = dict(files)
    body = []
    for i, embeds in enumerate(messages):
        parts = [_embed(e, images) for e in embeds]
        if paged:
            first, last = i == 0, i == len(messages) - 1
            parts.append(
                f'<div class="row"><span class="btn{" off" if first else ""}">◀ Previous</span>'
                f'<span class="btn{" off" if last else ""}">Next ▶</span></div>'
            )
        if i < len(menus) and menus[i]:
            options = "".join(f"<li>{html.escape(label)}</li>" for _, label in menus[i])
            parts.append(
                f'<div class="row"><div class="select">Open an entry… ▾<ul>{options}</ul></div></div>'
            )
        body.append(f'<div class="msg">{"".join(parts)}</div>')
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{_CSS}</style></head>'
        f"<body>{'<hr>'.join(body)}</body></html>\n"
    )
