"""What the fuzz test posts: DOMPurify's XSS fixtures and generated malformed input.

Each payload has a short name, so a failure says which one it was without printing 100 KB.
"""

import json
from dataclasses import dataclass
from pathlib import Path

DOMPURIFY_FILE = Path(__file__).with_name("dompurify_payloads.json")


@dataclass(frozen=True)
class Payload:
    name: str
    value: str

    def __str__(self) -> str:
        return self.name


def dompurify() -> list[Payload]:
    strings = json.loads(DOMPURIFY_FILE.read_text(encoding="utf-8"))["payloads"]
    return [Payload(f"dompurify-{number}", value) for number, value in enumerate(strings, 1)]


def _nested(opening: str, closing: str, depth: int) -> str:
    return opening * depth + "x" + closing * depth


HUNDRED_KB = 100_000
MALFORMED = [
    Payload("nul", "\x00"),
    Payload("nul-inside", "before\x00after"),
    Payload("nul-in-markup", "<p>a\x00</p><img src=x\x00 onerror=alert(1)>"),
    Payload("lone-high-surrogate", "\ud800"),
    Payload("lone-low-surrogate", "text \udfff text"),
    Payload("reversed-surrogates", "\udc00\ud800"),
    Payload("rtl-override", "\u202etxt.exe\u202c"),
    Payload("bidi-isolates", "\u2066\u2067\u2068abc\u2069\u200f\u200e"),
    Payload("zero-width-and-bom", "\ufeff\u200b\u200c\u200d\u2060"),
    Payload("c0-c1-controls", "".join(map(chr, range(1, 32))) + "\x7f\x85\x9f"),
    Payload("line-separators", "one\u2028two\u2029three\r\n\rfour"),
    Payload("1e309", "1e309"),
    Payload("minus-1e309", "-1e309"),
    Payload("NaN", "NaN"),
    Payload("nan", "nan"),
    Payload("sNaN", "sNaN"),
    Payload("Infinity", "Infinity"),
    Payload("minus-Infinity", "-Infinity"),
    Payload("minus-zero", "-0"),
    Payload("minus-zero-point", "-0.0"),
    Payload("tiny", "1e-400"),
    Payload("huge-integer", "9" * 400),
    Payload("huge-negative", "-" + "9" * 40),
    Payload("huge-exponent", "1e999999999"),
    Payload("billion-places", "1e-999999999"),
    Payload("zero-billion-places", "0E-999999999"),
    Payload("money-words", "£1,234,567,890,123.456"),
    Payload("percent-over", "1000000%"),
    Payload("hex-and-underscores", "0x1F 1_000 ١٢٣"),
    Payload("astral-and-combining", "😀" * 100 + "e\u0301" * 100),
    Payload("template-syntax", "{{ 7*7 }}{% debug %}${7*7}#{7*7}%s%n"),
    Payload("sql-ish", "'; DROP TABLE plans_answer; --"),
    Payload("100kb-plain", "A" * HUNDRED_KB),
    Payload("100kb-words", "word " * (HUNDRED_KB // 5)),
    Payload("100kb-markup", "<p>" + "x" * HUNDRED_KB + "</p>"),
    Payload("100kb-entities", "&amp;" * (HUNDRED_KB // 5)),
    Payload("100kb-lines", "line\n" * (HUNDRED_KB // 5)),
    Payload("deep-divs", _nested("<div>", "</div>", 5000)),
    Payload("deep-lists", _nested("<ul><li>", "</li></ul>", 2000)),
    Payload("deep-brackets", _nested("[", "]", 5000)),
    Payload("deep-braces", _nested('{"a":', "}", 5000)),
    Payload("unclosed-tags", "<b><i><a href='http://x'>" * 1000),
    Payload("yaml-ish", "&anchor *alias !!python/object:os.system\n- - - -"),
    Payload("csv-formula", '=HYPERLINK("http://x","y"),+1,-1,@SUM(A1)'),
    Payload("quotes-and-separators", 'a,"b""c",\'d\'\t;|\\'),
]
