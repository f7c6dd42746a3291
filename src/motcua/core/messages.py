from django.utils.translation import gettext


class Message:
    """A translatable message with its parameters, translated only when shown.

    ``gettext_lazy(...) % params`` translates at once, in whatever language is active then; an
    import problem must instead render in Vietnamese and in English from the same object.
    Used as ``_``, so makemessages finds the strings as usual.
    """

    def __init__(self, text: str, params: dict | None = None):
        self.text = text
        self.params = params

    def __mod__(self, params: dict) -> "Message":
        return Message(self.text, params)

    def __str__(self) -> str:
        translated = gettext(self.text)
        if self.params is None:
            return translated
        return translated % {key: str(value) for key, value in self.params.items()}

    def __repr__(self) -> str:
        return f"Message({self.text!r}, {self.params!r})"
