import unicodedata


def fold(text: str) -> str:
    """Lowercase ASCII form of Vietnamese text for search: "Hộ tịch" → "ho tich", "Đất" → "dat"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
