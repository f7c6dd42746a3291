import secrets

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

CAPTCHA_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # none that read as another (0/O, 1/I/L)


def captcha_challenge():
    text = "".join(secrets.choice(CAPTCHA_LETTERS) for _ in range(5))
    return text, text


class Captcha(CaptchaField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Type the characters in the picture"),
            error_messages={"invalid": _("The characters typed do not match the picture; try the new one.")},
            **kwargs,
        )


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    contact = forms.CharField(label=_("E-mail or mobile number"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    captcha = Captcha()


class VerifyForm(forms.Form):
    contact = forms.CharField(label=_("E-mail or mobile number"), max_length=254)
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        min_length=6,
        # a phone offers its digits and the code from the message
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
    )


class ResetRequestForm(forms.Form):
    contact = forms.CharField(label=_("E-mail or mobile number"), max_length=254)
    captcha = Captcha()


class ResetForm(forms.Form):
    contact = forms.CharField(label=_("E-mail or mobile number"), max_length=254)
    code = forms.CharField(label=_("Verification code"), max_length=6, min_length=6)
    password = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class FeedbackForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=255)
    contact = forms.CharField(label=_("Phone or e-mail"), max_length=254)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    unit = forms.TypedChoiceField(label=_("Unit the feedback is for"), coerce=int, required=False)
    dossier_code = forms.CharField(label=_("Dossier code (if about a dossier)"), max_length=60, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    content = forms.CharField(label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    captcha = Captcha()

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("— choose —"))] + [(u.pk, u.name) for u in units]
