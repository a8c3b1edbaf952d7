"""Forms of the import pages: the upload, and the confirmation of a previewed import."""

import copy

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
        self._ask_about_agencies(new_agencies)

    def confirms(self, preview) -> bool:
        """Whether the posted form confirms the preview being applied (its new agencies ticked).

        importing.import_file asks, inside its transaction, once the preview is known to be
        the one the coordinator saw; the form's errors then say what is missing.
        """
        self._ask_about_agencies(len(preview.new_agencies))
        return self.is_valid()

    def _ask_about_agencies(self, count: int) -> None:
        """The tick is shown, and required, only when the import adds agencies."""
        if not count:
            self.fields.pop("add_agencies", None)
            return
        field = self.fields["add_agencies"] = copy.deepcopy(self.base_fields["add_agencies"])
        field.required = True
        field.label = (
            "Add this agency to the list of agencies"
            if count == 1
            else f"Add these {count} agencies to the list of agencies"
        )
