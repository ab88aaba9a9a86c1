"""Which language the API answers in.

HTML pages and the OpenAPI description take ``?lang=fr|en`` (French by default, like every page
of the site); JSON error messages follow the request's ``Accept-Language`` (French when it names
neither language), so a script gets its errors in the language its user reads.
"""

from __future__ import annotations

from flask import request

from dashboard.web.i18n import accepted_lang, normalise_lang

LANG_PARAM = "lang"


def page_lang() -> str:
    """Language of an HTML page: ``?lang=``, French for anything else."""
    return normalise_lang(request.args.get(LANG_PARAM))


def error_lang() -> str:
    """Language of an error message: the best match of ``Accept-Language``, else French."""
    return accepted_lang(request.headers.get("Accept-Language"))
