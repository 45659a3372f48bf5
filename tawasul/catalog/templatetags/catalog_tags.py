from django import template

from tawasul.catalog.i18n import localized as _localized
from tawasul.catalog.i18n import localized_language

register = template.Library()


@register.simple_tag
def loc(obj, field):
    """`obj.<field>_<current language>`, else the Arabic value."""
    return _localized(obj, field)


@register.simple_tag
def loc_lang(obj, field):
    """The language code of the text `loc` shows (for `lang`/`dir` attributes)."""
    return localized_language(obj, field)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
