from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("Member list"),
        help_text=_(
            "CSV or XLSX with the columns city, country, latitude, longitude, geonames_id, wikidata_id, "
            "category, joined, left, source_url (only city and country are required), named in English, "
            "Spanish, Portuguese or French: download a template below."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."), code="file_type")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB: use the import_members command."), code="file_size"
            )
        return upload
