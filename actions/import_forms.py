"""Forms of the import pages: the upload, and the confirmation of a previewed import."""

from django import forms

from actions.importing.columns import MAX_BYTES


class UploadForm(forms.Form):
    """The plan spreadsheet a coordinator uploads."""

    file = forms.FileField(
        label="Upload the plan",
        help_text="The template filled in, as Excel (.xlsx) or CSV, up to 5 MB.",
        error_messages={
            "required": "Select a CSV or Excel file to import",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV or Excel file to import",
        },
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB")
        return upload


class ConfirmForm(forms.Form):
    """Confirming a previewed import; new agencies are confirmed with a tick."""

    token = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput)
    add_agencies = forms.BooleanField(
        label="Add these agencies to the list of agencies",
        required=False,
        help_text="Check each name: an agency that is already on the list under another name "
        "would be added twice. Correct the file and upload it again if one is.",
        error_messages={"required": "Confirm that the new agencies should be added"},
    )

    def __init__(self, *args, new_agencies: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if new_agencies:
            self.fields["add_agencies"].required = True
            self.fields["add_agencies"].label = (
                "Add this agency to the list of agencies"
                if new_agencies == 1
                else f"Add these {new_agencies} agencies to the list of agencies"
            )
        else:
            del self.fields["add_agencies"]
