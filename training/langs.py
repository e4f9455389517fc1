"""Language codes, names, scripts and small per-language tables for the corpus builders.

Every source names its languages differently: NTREX uses ISO 639-3 codes with
an optional script or region (``srp-Latn``, ``por-BR``), Leipzig uses ISO 639-1,
the interface-string sources use locales (``pt_BR``, ``zh-CN``) and a few
project-specific codes (giscus' ``gr``, ``kh``, ``hbs``).  Everything segclf
emits is ISO 639-1, so this module maps each source code to a 639-1 code (or
``None`` when the language has none: Pulaar is ``ff``, but Hmong, Cantonese,
Central Kurdish, Northern Sotho... have no 639-1 code and are dropped).
Variants merge (``pt_BR``/``por-BR`` -> ``pt``, ``prs`` (Dari) -> ``fa``,
``fil`` -> ``tl``, ``no``/``nb_NO`` -> ``nb``); Serbian keeps both scripts as ``sr``.

The tables are written out here rather than taken from ``pycountry`` so the
build needs no extra dependency and the mapping is reviewable in one place.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

__all__ = [
    "NTREX_TO_ISO",
    "LANG_NAMES",
    "AUTONYMS",
    "locale_to_iso",
    "script_of",
    "main_script",
    "SCRIPT_OF_LANG",
    "sr_to_latin",
    "names_for",
    "LATIN_LOANWORD_LANGS",
]

#: NTREX-128 file code -> ISO 639-1 (None: no 639-1 code, dropped).
NTREX_TO_ISO: dict[str, str | None] = {
    "afr": "af",
    "amh": "am",
    "arb": "ar",
    "aze-Latn": "az",
    "bak": "ba",
    "bel": "be",
    "bem": None,
    "ben": "bn",
    "bod": "bo",
    "bos": "bs",
    "bul": "bg",
    "cat": "ca",
    "ces": "cs",
    "ckb-Arab": None,
    "cym": "cy",
    "dan": "da",
    "deu": "de",
    "div": "dv",
    "dzo": "dz",
    "ell": "el",
    "eng-GB": "en",
    "eng-IN": "en",
    "eng-US": "en",
    "est": "et",
    "eus": "eu",
    "ewe": "ee",
    "fao": "fo",
    "fas": "fa",
    "fij": "fj",
    "fil": "tl",
    "fin": "fi",
    "fra": "fr",
    "fra-CA": "fr",
    "fuc": "ff",
    "gle": "ga",
    "glg": "gl",
    "guj": "gu",
    "hau": "ha",
    "heb": "he",
    "hin": "hi",
    "hmn": None,
    "hrv": "hr",
    "hun": "hu",
    "hye": "hy",
    "ibo": "ig",
    "ind": "id",
    "isl": "is",
    "ita": "it",
    "jpn": "ja",
    "kan": "kn",
    "kat": "ka",
    "kaz": "kk",
    "khm": "km",
    "kin": "rw",
    "kir": "ky",
    "kmr": "ku",
    "kor": "ko",
    "lao": "lo",
    "lav": "lv",
    "lit": "lt",
    "ltz": "lb",
    "mal": "ml",
    "mar": "mr",
    "mey": None,
    "mkd": "mk",
    "mlg": "mg",
    "mlt": "mt",
    "mon": "mn",
    "mri": "mi",
    "msa": "ms",
    "mya": "my",
    "nde": "nd",
    "nep": "ne",
    "nld": "nl",
    "nno": "nn",
    "nob": "nb",
    "nso": None,
    "nya": "ny",
    "orm": "om",
    "pan": "pa",
    "pol": "pl",
    "por": "pt",
    "por-BR": "pt",
    "prs": "fa",
    "pus": "ps",
    "ron": "ro",
    "rus": "ru",
    "shi": None,
    "sin": "si",
    "slk": "sk",
    "slv": "sl",
    "smo": "sm",
    "sna-Latn": "sn",
    "snd-Arab": "sd",
    "som": "so",
    "spa": "es",
    "spa-MX": "es",
    "sqi": "sq",
    "srp-Cyrl": "sr",
    "srp-Latn": "sr",
    "ssw": "ss",
    "swa": "sw",
    "swe": "sv",
    "tah": "ty",
    "tam": "ta",
    "tat": "tt",
    "tel": "te",
    "tgk-Cyrl": "tg",
    "tha": "th",
    "tir": "ti",
    "ton": "to",
    "tsn": "tn",
    "tuk": "tk",
    "tur": "tr",
    "uig": "ug",
    "ukr": "uk",
    "urd": "ur",
    "uzb": "uz",
    "ven": "ve",
    "vie": "vi",
    "wol": "wo",
    "xho": "xh",
    "yor": "yo",
    "yue": None,
    "zho-CN": "zh",
    "zho-TW": "zh",
    "zul": "zu",
    # extra files in NTREX-128/: the English source and a second Spanish reference
    "src.eng": "en",
    "ref-2.spa": "es",
}

#: Locale codes of the interface-string sources that a plain split does not map.
_LOCALE_SPECIAL: dict[str, str | None] = {
    "gr": "el",  # giscus: Greek
    "kh": "km",  # giscus: Khmer
    "hbs": "sr",  # giscus: Serbo-Croatian, written the Serbian (Latin) way
    "no": "nb",  # Norwegian (Bokmål) in WordPress and klaro
    "bre": "br",  # ISO 639-2 code used by one theme
    "el-po": None,  # polytonic Greek: not how the web writes Greek
    "ckb": None,
    "skr": None,
    "kab": None,  # no 639-1 code
    "sr_cyrl": "sr",
}

#: English names of every 639-1 code the builders can emit.
LANG_NAMES: dict[str, str] = {
    "af": "Afrikaans",
    "am": "Amharic",
    "ar": "Arabic",
    "as": "Assamese",
    "az": "Azerbaijani",
    "ba": "Bashkir",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "bo": "Tibetan",
    "br": "Breton",
    "bs": "Bosnian",
    "ca": "Catalan",
    "cs": "Czech",
    "cv": "Chuvash",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "dv": "Divehi",
    "dz": "Dzongkha",
    "ee": "Ewe",
    "el": "Greek",
    "en": "English",
    "eo": "Esperanto",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "ff": "Fulah (Pulaar)",
    "fi": "Finnish",
    "fj": "Fijian",
    "fo": "Faroese",
    "fr": "French",
    "ga": "Irish",
    "gd": "Scottish Gaelic",
    "gl": "Galician",
    "gu": "Gujarati",
    "ha": "Hausa",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "ig": "Igbo",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "ka": "Georgian",
    "kk": "Kazakh",
    "km": "Khmer",
    "kn": "Kannada",
    "ko": "Korean",
    "ku": "Kurdish (Kurmanji)",
    "ky": "Kyrgyz",
    "la": "Latin",
    "lb": "Luxembourgish",
    "lg": "Ganda",
    "lo": "Lao",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "mg": "Malagasy",
    "mi": "Maori",
    "mk": "Macedonian",
    "ml": "Malayalam",
    "mn": "Mongolian",
    "mr": "Marathi",
    "ms": "Malay",
    "mt": "Maltese",
    "my": "Burmese",
    "nb": "Norwegian Bokmål",
    "nd": "North Ndebele",
    "ne": "Nepali",
    "nl": "Dutch",
    "nn": "Norwegian Nynorsk",
    "ny": "Chichewa",
    "oc": "Occitan",
    "om": "Oromo",
    "pa": "Punjabi",
    "pl": "Polish",
    "ps": "Pashto",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "rw": "Kinyarwanda",
    "sd": "Sindhi",
    "si": "Sinhala",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sm": "Samoan",
    "sn": "Shona",
    "so": "Somali",
    "sq": "Albanian",
    "sr": "Serbian",
    "ss": "Swati",
    "st": "Southern Sotho",
    "su": "Sundanese",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "te": "Telugu",
    "tg": "Tajik",
    "th": "Thai",
    "ti": "Tigrinya",
    "tk": "Turkmen",
    "tl": "Tagalog (Filipino)",
    "tn": "Tswana",
    "to": "Tongan",
    "tr": "Turkish",
    "ts": "Tsonga",
    "tt": "Tatar",
    "ty": "Tahitian",
    "ug": "Uyghur",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "ve": "Venda",
    "vi": "Vietnamese",
    "wo": "Wolof",
    "xh": "Xhosa",
    "yo": "Yoruba",
    "zh": "Chinese",
    "zu": "Zulu",
}

#: Names of languages as their own speakers write them (language switchers).
AUTONYMS: dict[str, list[str]] = {
    "en": ["English", "EN", "ENG"],
    "fr": ["Français", "FR"],
    "de": ["Deutsch", "DE"],
    "es": ["Español", "ES"],
    "pt": ["Português", "PT"],
    "it": ["Italiano", "IT"],
    "nl": ["Nederlands", "NL"],
    "ru": ["Русский", "РУС", "RU"],
    "uk": ["Українська", "УКР", "UA"],
    "pl": ["Polski", "PL"],
    "cs": ["Čeština", "CZ"],
    "sk": ["Slovenčina", "SK"],
    "sl": ["Slovenščina", "SI"],
    "hr": ["Hrvatski", "HR"],
    "sr": ["Српски", "Srpski", "СРП"],
    "bs": ["Bosanski", "BS"],
    "bg": ["Български", "БГ"],
    "mk": ["Македонски", "МК"],
    "ro": ["Română", "RO"],
    "hu": ["Magyar", "HU"],
    "fi": ["Suomi", "FI"],
    "et": ["Eesti", "ET"],
    "lv": ["Latviešu", "LV"],
    "lt": ["Lietuvių", "LT"],
    "sv": ["Svenska", "SV"],
    "da": ["Dansk", "DA"],
    "nb": ["Norsk", "NO"],
    "is": ["Íslenska", "IS"],
    "tr": ["Türkçe", "TR"],
    "az": ["Azərbaycanca", "AZ"],
    "ar": ["العربية", "عربي"],
    "fa": ["فارسی"],
    "ur": ["اردو"],
    "ps": ["پښتو"],
    "he": ["עברית"],
    "hi": ["हिंदी", "हिन्दी"],
    "mr": ["मराठी"],
    "bn": ["বাংলা"],
    "ne": ["नेपाली"],
    "ja": ["日本語"],
    "zh": ["中文", "简体中文", "繁體中文"],
    "ko": ["한국어"],
    "vi": ["Tiếng Việt", "VI"],
    "th": ["ไทย"],
    "id": ["Bahasa Indonesia", "ID"],
    "ms": ["Bahasa Melayu", "BM"],
    "tl": ["Filipino"],
    "el": ["Ελληνικά", "ΕΛ"],
    "ca": ["Català", "CA"],
    "gl": ["Galego"],
    "eu": ["Euskara"],
    "sq": ["Shqip"],
    "ka": ["ქართული"],
    "hy": ["Հայերեն"],
    "kk": ["Қазақша"],
    "uz": ["Oʻzbekcha"],
    "sw": ["Kiswahili"],
    "ta": ["தமிழ்"],
    "am": ["አማርኛ"],
    "so": ["Soomaali"],
    "ha": ["Hausa"],
}

#: Latin-script languages whose web pages use English loanwords (``Home``,
#: ``Blog``, ``Video``...) as menu items; on pages in any other script those
#: words are Latin-script English, i.e. ``foreign`` (LABELS.md).
LATIN_LOANWORD_LANGS: frozenset[str] = frozenset(
    {
        "de",
        "it",
        "pt",
        "id",
        "ms",
        "nl",
        "fr",
        "es",
        "ca",
        "gl",
        "pl",
        "cs",
        "sk",
        "sl",
        "hr",
        "bs",
        "ro",
        "hu",
        "fi",
        "et",
        "lv",
        "lt",
        "sv",
        "da",
        "nb",
        "nn",
        "is",
        "tr",
        "az",
        "vi",
        "tl",
        "sq",
        "sw",
        "af",
        "cy",
        "ga",
        "eu",
        "mt",
        "lb",
        "uz",
    }
)

_SCRIPT_PREFIXES: tuple[tuple[str, str], ...] = (
    ("LATIN", "Latn"),
    ("CYRILLIC", "Cyrl"),
    ("ARABIC", "Arab"),
    ("CJK", "Hani"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("HANGUL", "Hang"),
    ("DEVANAGARI", "Deva"),
    ("BENGALI", "Beng"),
    ("GURMUKHI", "Guru"),
    ("GUJARATI", "Gujr"),
    ("TAMIL", "Taml"),
    ("TELUGU", "Telu"),
    ("KANNADA", "Knda"),
    ("MALAYALAM", "Mlym"),
    ("SINHALA", "Sinh"),
    ("THAI", "Thai"),
    ("LAO", "Laoo"),
    ("KHMER", "Khmr"),
    ("MYANMAR", "Mymr"),
    ("TIBETAN", "Tibt"),
    ("ETHIOPIC", "Ethi"),
    ("GEORGIAN", "Geor"),
    ("ARMENIAN", "Armn"),
    ("HEBREW", "Hebr"),
    ("GREEK", "Grek"),
    ("THAANA", "Thaa"),
    ("ORIYA", "Orya"),
)

_SCRIPT_CACHE: dict[str, str] = {}


def _char_script(ch: str) -> str:
    """Script of one letter as an ISO 15924-like code ('' for non-letters)."""
    got = _SCRIPT_CACHE.get(ch)
    if got is not None:
        return got
    script = ""
    if ch.isalpha():
        name = unicodedata.name(ch, "")
        script = "Zyyy"
        for prefix, code in _SCRIPT_PREFIXES:
            if name.startswith(prefix):
                script = code
                break
    _SCRIPT_CACHE[ch] = script
    return script


def script_of(text: str) -> Counter[str]:
    """Letters of ``text`` counted by script."""
    counts: dict[str, int] = {}
    cache = _SCRIPT_CACHE
    for ch in text:
        s = cache.get(ch)
        if s is None:
            s = _char_script(ch)
        if s:
            counts[s] = counts.get(s, 0) + 1
    return Counter(counts)


def main_script(text: str) -> str:
    """The script of most letters of ``text`` ('' when it has no letters).

    Japanese kana count together with Han characters as ``Jpan`` when any kana
    is present, so a Japanese line is ``Jpan`` and a Chinese one ``Hani``.
    Only the first 300 characters are looked at.
    """
    counts = script_of(text[:300])  # a sample is enough and keeps long texts cheap
    if not counts:
        return ""
    if counts.get("Jpan"):
        counts["Jpan"] += counts.pop("Hani", 0)
    return counts.most_common(1)[0][0]


#: The script each language is written in on the web (Serbian: both, Cyrillic first).
SCRIPT_OF_LANG: dict[str, str] = {
    **{c: "Latn" for c in LANG_NAMES},
    **{c: "Cyrl" for c in ("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "mn", "tg", "tt", "ba", "cv")},
    **{c: "Arab" for c in ("ar", "fa", "ur", "ps", "sd", "ug")},
    "zh": "Hani",
    "ja": "Jpan",
    "ko": "Hang",
    "hi": "Deva",
    "mr": "Deva",
    "ne": "Deva",
    "bn": "Beng",
    "as": "Beng",
    "pa": "Guru",
    "gu": "Gujr",
    "ta": "Taml",
    "te": "Telu",
    "kn": "Knda",
    "ml": "Mlym",
    "si": "Sinh",
    "th": "Thai",
    "lo": "Laoo",
    "km": "Khmr",
    "my": "Mymr",
    "bo": "Tibt",
    "dz": "Tibt",
    "am": "Ethi",
    "ti": "Ethi",
    "ka": "Geor",
    "hy": "Armn",
    "he": "Hebr",
    "el": "Grek",
    "dv": "Thaa",
}


def locale_to_iso(locale: str) -> str | None:
    """Map a locale code (``pt_BR``, ``zh-CN``, ``gr``, ``hbs``...) to ISO 639-1."""
    if locale in _LOCALE_SPECIAL:
        return _LOCALE_SPECIAL[locale]
    base = locale.replace("-", "_").split("_")[0].lower()
    if base in _LOCALE_SPECIAL:
        return _LOCALE_SPECIAL[base]
    return base if base in LANG_NAMES else None


_SR_CYR = "абвгдђежзијклљмнњопрстћуфхцчџш"
_SR_LAT = [
    "a",
    "b",
    "v",
    "g",
    "d",
    "đ",
    "e",
    "ž",
    "z",
    "i",
    "j",
    "k",
    "l",
    "lj",
    "m",
    "n",
    "nj",
    "o",
    "p",
    "r",
    "s",
    "t",
    "ć",
    "u",
    "f",
    "h",
    "c",
    "č",
    "dž",
    "š",
]
_SR_MAP: dict[int, str] = {}
for _c, _l in zip(_SR_CYR, _SR_LAT, strict=True):
    _SR_MAP[ord(_c)] = _l
    _SR_MAP[ord(_c.upper())] = _l[0].upper() + _l[1:]


def sr_to_latin(text: str) -> str:
    """Transliterate Serbian Cyrillic to Serbian Latin (gajica)."""
    return text.translate(_SR_MAP)


# People's names by script, for bylines, commenters and ``Leave a Reply to %s``.
# A name carries no language of its own (LABELS.md), so these never make a line foreign.
_NAMES: dict[str, list[str]] = {
    "Latn": [
        "Maria Silva",
        "Jan Novak",
        "Anna Schmidt",
        "Luca Rossi",
        "Sofia Garcia",
        "Admin",
        "Peter Jansen",
        "Ahmet Yilmaz",
        "Nguyen Van An",
        "Ana Popescu",
        "Mikko Virtanen",
        "Eva Horvat",
        "Lars Nilsson",
        "Budi Santoso",
        "Marta Kowalska",
        "Jean Dupont",
        "Tomas Berg",
        "Elena Petrova",
        "Kofi Mensah",
        "Sara Ahmed",
        "David Miller",
        "J. Moreau",
    ],
    "Cyrl": [
        "Иван Петров",
        "Анна Смирнова",
        "Олена Коваленко",
        "Дмитрий Орлов",
        "Марко Јовановић",
        "Георги Иванов",
        "Наталья",
        "Сергей К.",
        "Айгерим Сейтова",
        "Бат-Эрдэнэ",
    ],
    "Arab": [
        "محمد رضایی",
        "علی احمدی",
        "فاطمه",
        "أحمد محمود",
        "سارا",
        "حسن خان",
        "عمران علی",
        "نرگس کریمی",
        "یوسف",
        "مریم",
    ],
    "Hani": ["王伟", "李娜", "张敏", "刘洋", "陈静", "小明"],
    "Jpan": ["佐藤 健", "鈴木 花子", "田中", "山本 裕子", "たかし"],
    "Hang": ["김민준", "이서연", "박지훈", "최유진"],
    "Deva": ["राहुल शर्मा", "प्रिया", "अमित कुमार", "सुनीता पाटील"],
    "Grek": ["Γιώργος Παπαδόπουλος", "Μαρία", "Νίκος Κ."],
    "Hebr": ["דני לוי", "מיכל כהן", "יוסי"],
    "Thai": ["สมชาย", "สุดา ใจดี", "ณัฐ"],
    "Geor": ["გიორგი ბერიძე", "ნინო"],
    "Armn": ["Արամ Պետրոսյան", "Անի"],
}


def names_for(lang: str) -> list[str]:
    """Plausible people's names for a page in ``lang`` (Latin names as fallback)."""
    script = SCRIPT_OF_LANG.get(lang, "Latn")
    names = _NAMES.get(script, _NAMES["Latn"])
    if lang == "sr":  # Serbian names in both scripts
        serbian = ["Марко Јовановић", "Јелена Петровић", "Никола", "Ана Ђорђевић", "Милош С."]
        names = serbian + [sr_to_latin(n) for n in serbian]
    return names
