"""ISO 4217 currency codes, from pycountry (pinned in the lock, so the list is stable)."""

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CURRENCY_CODES: tuple[str, ...] = tuple(sorted(currency.alpha_3 for currency in pycountry.currencies))


def validate_currency(value: str) -> None:
    if value and value not in CURRENCY_CODES:
        raise ValidationError(
            _("“%(value)s” is not an ISO 4217 currency code (e.g. USD, EUR, UYU)."),
            code="invalid_currency",
            params={"value": value},
        )
