"""Messages that the admin shows but that Django and django-simple-history write, listed here so
that ``make messages`` puts them in our own catalogues (``locale/``), which take precedence over
the libraries'. Two reasons:

- **Gender.** Django builds "The {name} “{obj}” was added successfully." with the model's name,
  and its Spanish catalogue says "El {name} …": "El cumbre" for a summit (feminine), "El ciudad".
  Our translations phrase these messages neutrally, without an article agreeing with {name}
  (es: "Se agregó correctamente: {name} “{obj}”.").
- **Missing languages.** django-simple-history ships French and Brazilian Portuguese only: its
  history pages stay English in Spanish and Portuguese unless our catalogues translate them.

Nothing imports this module: it exists for ``makemessages``. Keep the msgids byte for byte as the
libraries write them (Django 5.2, django-simple-history 3.x)."""

from django.utils.translation import gettext_noop, ngettext_noop  # noqa: F401

# Translators: neutral phrasing; {name} is a model's name of either gender (cumbre, ciudad, país).
DJANGO_ADMIN = [
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Change %(name)s"),
    gettext_noop("View %(name)s"),
    gettext_noop("Select %(name)s to change"),
    gettext_noop("Select %(name)s to view"),
]

# Translators: django-simple-history's history pages (neutral phrasing, as above).
SIMPLE_HISTORY = [
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("You may edit it again below"),
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Change History"),
    gettext_noop("Change reason"),
    gettext_noop("Changed by"),
    gettext_noop("Changes"),
    gettext_noop("Comment"),
    gettext_noop("Date/time"),
    gettext_noop("Object"),
    gettext_noop("Revert"),
    gettext_noop("History"),
    gettext_noop("None"),
]
