"""The sign-in forms: the second step's code, the reset request, the administrator's reset."""

from django import forms
from django.contrib.auth import get_user_model


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        help_text="The 6-digit code your authenticator app shows now, or a recovery code.",
        max_length=20,
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label="Code from your app",
        help_text="The 6-digit code your app shows for CSP Tracker.",
        max_length=10,
        error_messages={"required": "Enter the 6-digit code your app shows"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )


class ResetRequestForm(forms.Form):
    identifier = forms.CharField(
        label="Email address or username",
        max_length=254,
        error_messages={"required": "Enter your email address or username"},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )


class ResetSecondFactorForm(forms.Form):
    username = forms.CharField(
        label="Username of the person",
        max_length=150,
        error_messages={"required": "Enter the username of the person who lost their device"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username__iexact=name).first()
        if user is None:
            raise forms.ValidationError(f"There is no account with the username {name}")
        self.cleaned_data["user"] = user
        return name
