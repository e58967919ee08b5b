/* The loader's record checks for the common, well-formed shapes, in C.
 *
 * entity(item), relation(item) and source(item) return exactly what ecosystem.loader's
 * _fast_entity, _fast_relation and _fast_source return for the same item: the validated record
 * as a new dict (keys in the same order, values of the same types), or None when the item is
 * not of a shape known to be valid (the loader then validates it with the pydantic model, which
 * gives the same dict or the error messages). Rare forms (shares written as text or as
 * mappings, language codes other than two or three lowercase letters) are handed to the Python
 * functions given to configure(), so there is one definition of what they mean.
 *
 * tests/test_speedups.py compares both on generated records. The module is optional: without
 * it the loader uses its Python functions.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>

/* set by configure() */
static PyObject *entity_keys, *relation_keys, *source_keys, *fact_keys, *amount_keys, *citation_keys;
static PyObject *amount_units, *source_kinds;
static PyObject *py_share;     /* loader._fast_share: for shares that are not plain numbers */
static PyObject *py_language;  /* the compiled language-code pattern's match method */
static PyObject *py_entity, *py_relation, *py_source;  /* the Python checks, for records with odd keys */
static int configured = 0;

/* Set when a dict holds a key that is not an exact str. Hashing or comparing such a key could run
 * Python code that changes the record being read, so the C checks stop at once (before looking
 * anything up in that dict) and the whole record is checked by the Python function instead. A
 * parser never makes such keys: this only keeps the module safe whatever it is given. */
static int odd_key = 0;

/* interned key strings */
static PyObject *k_id, *k_name, *k_type, *k_names, *k_aliases, *k_jurisdiction, *k_start, *k_end,
    *k_description, *k_facts, *k_distinct_from, *k_inferred, *k_sources, *k_from, *k_to, *k_equity,
    *k_votes, *k_amount, *k_as_of, *k_instruments, *k_role, *k_law, *k_note, *k_value, *k_unit,
    *k_currency, *k_date, *k_approximate, *k_source, *k_locator, *k_kind, *k_title, *k_author,
    *k_container, *k_publisher, *k_url, *k_pages, *k_min;

#define EXACT_INT (9007199254740992LL) /* 2 ** 53 */

/* Each check returns a new reference, or NULL with no error set for "not of a known shape", or
 * NULL with an error set (memory, or an error raised by a Python function it called). */
#define NOT_KNOWN NULL

/* d.get(key): a borrowed reference, or NULL when missing; -1 in *failed on an error */
static inline PyObject *get(PyObject *d, PyObject *key, int *failed) {
    PyObject *value = PyDict_GetItemWithError(d, key);
    if (value == NULL && PyErr_Occurred()) *failed = 1;
    return value;
}

/* every key of the dict d is in the frozenset keys: 1, 0, or -1 on an error; 0 with odd_key set
 * for a key that is not an exact str */
static int keys_within(PyObject *d, PyObject *keys) {
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(d, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key)) {
            odd_key = 1;
            return 0;
        }
        int found = PySet_Contains(keys, key);
        if (found != 1) return found;
    }
    return 1;
}

/* _ID_MATCH: [a-z0-9][a-z0-9_]*, at most 200 characters */
static int is_id(PyObject *value) {
    if (!PyUnicode_CheckExact(value) || !PyUnicode_IS_ASCII(value)) return 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(value);
    if (n < 1 || n > 200) return 0;
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(value);
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return 0;
    for (Py_ssize_t i = 1; i < n; i++) {
        Py_UCS1 c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return 1;
}

static inline int is_digit(Py_UCS1 c) { return c >= '0' && c <= '9'; }

/* _CANONICAL_DATE_MATCH: YYYY, YYYY-MM or YYYY-MM-DD with a day up to 28 */
static int is_canonical_date(PyObject *value) {
    if (!PyUnicode_IS_ASCII(value)) return 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(value);
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(value);
    if (n != 4 && n != 7 && n != 10) return 0;
    if (!(is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]))) return 0;
    if (n == 4) return 1;
    if (s[4] != '-') return 0;
    if (!((s[5] == '0' && s[6] >= '1' && s[6] <= '9') || (s[5] == '1' && s[6] >= '0' && s[6] <= '2'))) return 0;
    if (n == 7) return 1;
    if (s[7] != '-') return 0;
    return (s[8] == '0' && s[9] >= '1' && s[9] <= '9') || (s[8] == '1' && is_digit(s[9])) ||
           (s[8] == '2' && s[9] >= '0' && s[9] <= '8');
}

/* _fast_date */
static PyObject *check_date(PyObject *value) {
    if (PyUnicode_CheckExact(value)) {
        if (is_canonical_date(value)) return Py_NewRef(value);
        return NOT_KNOWN;
    }
    if (PyLong_CheckExact(value)) {
        int overflow;
        long year = PyLong_AsLongAndOverflow(value, &overflow);
        if (year == -1 && PyErr_Occurred()) return NULL;
        if (overflow || year < 1000 || year > 9999) return NOT_KNOWN;
        return PyUnicode_FromFormat("%ld", year);
    }
    if (PyDate_CheckExact(value)) {
        char text[16];
        int year = PyDateTime_GET_YEAR(value);
        snprintf(text, sizeof text, "%04d-%02d-%02d", year, PyDateTime_GET_MONTH(value), PyDateTime_GET_DAY(value));
        return PyUnicode_FromString(text);
    }
    return NOT_KNOWN;
}

/* _fast_float: a finite float from an int or float */
static PyObject *check_float(PyObject *value) {
    if (value == NULL) return NOT_KNOWN;
    if (PyFloat_CheckExact(value)) {
        double x = PyFloat_AS_DOUBLE(value);
        return isfinite(x) ? Py_NewRef(value) : NOT_KNOWN;
    }
    if (PyLong_CheckExact(value)) {
        int overflow;
        long long n = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (n == -1 && PyErr_Occurred()) return NULL;
        if (overflow || n < -EXACT_INT || n > EXACT_INT) return NOT_KNOWN;
        return PyFloat_FromDouble((double)n);
    }
    return NOT_KNOWN;
}

/* _fast_strings: a copy of a list of str */
static PyObject *check_strings(PyObject *value) {
    if (!PyList_CheckExact(value)) return NOT_KNOWN;
    Py_ssize_t n = PyList_GET_SIZE(value);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!PyUnicode_CheckExact(PyList_GET_ITEM(value, i))) return NOT_KNOWN;
    return PyList_GetSlice(value, 0, n);
}

/* a dict of one or two items */
static PyObject *citation_dict(PyObject *source, PyObject *locator) {
    PyObject *out = PyDict_New();
    if (out == NULL) return NULL;
    if (PyDict_SetItem(out, k_source, source) < 0 ||
        (locator != NULL && PyDict_SetItem(out, k_locator, locator) < 0)) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

/* "source locator" text: str.strip(), .partition(" "), the locator .strip()'d */
static PyObject *citation_from_text(PyObject *text) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t start = 0, end = n;
    while (start < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start))) start++;
    while (end > start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1))) end--;
    Py_ssize_t space = start;
    while (space < end && PyUnicode_READ(kind, data, space) != ' ') space++;
    PyObject *source = (start == 0 && space == n) ? Py_NewRef(text) : PyUnicode_Substring(text, start, space);
    if (source == NULL) return NULL;
    if (!is_id(source)) {
        Py_DECREF(source);
        return NOT_KNOWN;
    }
    PyObject *locator = NULL;
    if (space < end) {
        Py_ssize_t from = space + 1;
        while (from < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, from))) from++;
        if (from < end) {
            locator = PyUnicode_Substring(text, from, end);
            if (locator == NULL) {
                Py_DECREF(source);
                return NULL;
            }
        }
    }
    PyObject *out = citation_dict(source, locator);
    Py_DECREF(source);
    Py_XDECREF(locator);
    return out;
}

/* _fast_citations: a new list of citation dicts */
static PyObject *check_citations(PyObject *value) {
    if (value == NULL || !PyList_CheckExact(value)) return NOT_KNOWN;
    Py_ssize_t n = PyList_GET_SIZE(value);
    if (n == 0) return NOT_KNOWN;
    PyObject *out = PyList_New(n);
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *citation = PyList_GET_ITEM(value, i), *item;
        if (PyUnicode_CheckExact(citation)) {
            item = citation_from_text(citation);
        } else if (PyDict_CheckExact(citation)) {
            int failed = 0, within = keys_within(citation, citation_keys);
            if (within != 1) {
                Py_DECREF(out);
                return within < 0 ? NULL : NOT_KNOWN;
            }
            PyObject *source = get(citation, k_source, &failed);
            PyObject *locator = failed ? NULL : get(citation, k_locator, &failed);
            if (failed) {
                Py_DECREF(out);
                return NULL;
            }
            if ((locator != NULL && !PyUnicode_CheckExact(locator)) || source == NULL || !is_id(source)) {
                Py_DECREF(out);
                return NOT_KNOWN;
            }
            item = citation_dict(source, (locator != NULL && PyUnicode_GET_LENGTH(locator) > 0) ? locator : NULL);
        } else {
            Py_DECREF(out);
            return NOT_KNOWN;
        }
        if (item == NULL) {
            Py_DECREF(out);
            return NULL;  /* NOT_KNOWN too: PyErr_Occurred() tells them apart */
        }
        PyList_SET_ITEM(out, i, item);
    }
    return out;
}

/* _fast_share: plain numbers here, any other form by the Python function */
static PyObject *check_share(PyObject *value) {
    PyObject *number = NULL;
    if (PyFloat_CheckExact(value)) {
        double x = PyFloat_AS_DOUBLE(value);
        if (!(x >= 0.0 && x <= 100.0)) return NOT_KNOWN;
        number = Py_NewRef(value);
    } else if (PyLong_CheckExact(value)) {
        int overflow;
        long long n = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (n == -1 && PyErr_Occurred()) return NULL;
        if (overflow || n < 0 || n > 100) return NOT_KNOWN;
        number = PyFloat_FromDouble((double)n);
        if (number == NULL) return NULL;
    } else {
        PyObject *out = PyObject_CallOneArg(py_share, value);
        if (out == Py_None) {
            Py_DECREF(out);
            return NOT_KNOWN;
        }
        return out;
    }
    PyObject *out = PyDict_New();
    if (out == NULL || PyDict_SetItem(out, k_value, number) < 0) {
        Py_XDECREF(out);
        Py_DECREF(number);
        return NULL;
    }
    Py_DECREF(number);
    return out;
}

/* [A-Z]{3} */
static int is_currency(PyObject *value) {
    if (!PyUnicode_CheckExact(value) || !PyUnicode_IS_ASCII(value) || PyUnicode_GET_LENGTH(value) != 3) return 0;
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(value);
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

/* _LANGUAGE_MATCH: two or three lowercase letters here, any other text by the Python pattern */
static int is_language(PyObject *value) {
    if (PyUnicode_IS_ASCII(value)) {
        Py_ssize_t n = PyUnicode_GET_LENGTH(value);
        const Py_UCS1 *s = PyUnicode_1BYTE_DATA(value);
        if ((n == 2 || n == 3) && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z' &&
            (n == 2 || (s[2] >= 'a' && s[2] <= 'z')))
            return 1;
    }
    PyObject *match = PyObject_CallOneArg(py_language, value);
    if (match == NULL) return -1;
    int found = match != Py_None;
    Py_DECREF(match);
    return found;
}

/* A check returns a new reference, or NULL: with an error set on an error, with none when the
 * value is not of a shape known to be valid (the wrappers below make that None). */

/* d.get(key) for a check: a borrowed reference or NULL (missing, or an error, then `failed`) */
#define GET(var, d, key) PyObject *var = get(d, key, &failed); if (failed) goto incomplete

/* optional bool (missing or None as False for inferred in relations, see callers) */
static inline int is_bool(PyObject *value) { return value == Py_True || value == Py_False; }

/* The start of a record check: a new, empty output dict when ``value`` is a dict of known keys;
 * NULL otherwise. */
static PyObject *begin(PyObject *value, PyObject *keys) {
    if (!PyDict_CheckExact(value)) return NOT_KNOWN;
    int within = keys_within(value, keys);
    return within == 1 ? PyDict_New() : NULL;
}

/* The end of a check that did not complete: drops the output and the value being made. */
static PyObject *incomplete(PyObject *out, PyObject *made) {
    Py_XDECREF(made);
    Py_DECREF(out);
    return NULL;
}

/* Optional fields, each put into ``out`` under its key, in the order of the calls: 1 when absent
 * (None counts as absent, except for lists) or put, 0 when of another form or on an error. */

/* a list of str, copied when not empty */
static int put_strings(PyObject *out, PyObject *item, PyObject *key) {
    PyObject *value = PyDict_GetItemWithError(item, key);
    if (value == NULL) return !PyErr_Occurred();
    PyObject *made = check_strings(value);
    if (made == NULL) return 0;
    int put = PyList_GET_SIZE(made) == 0 || PyDict_SetItem(out, key, made) == 0;
    Py_DECREF(made);
    return put;
}

/* a date in any form _fast_date knows, as its text */
static int put_date(PyObject *out, PyObject *item, PyObject *key) {
    PyObject *value = PyDict_GetItemWithError(item, key);
    if (value == NULL || value == Py_None) return !PyErr_Occurred();
    PyObject *made = check_date(value);
    if (made == NULL) return 0;
    int put = PyDict_SetItem(out, key, made) == 0;
    Py_DECREF(made);
    return put;
}

/* text (id: an id; currency: a currency code) */
enum text_kind { ANY_TEXT, ID_TEXT, CURRENCY_TEXT };
static int put_text(PyObject *out, PyObject *item, PyObject *key, enum text_kind kind) {
    PyObject *value = PyDict_GetItemWithError(item, key);
    if (value == NULL || value == Py_None) return !PyErr_Occurred();
    int known = kind == ID_TEXT ? is_id(value) : kind == CURRENCY_TEXT ? is_currency(value) : PyUnicode_CheckExact(value);
    return known && PyDict_SetItem(out, key, value) == 0;
}

/* a flag (inferred, approximate): a bool when given (None is not), kept only when true */
static int put_flag(PyObject *out, PyObject *item, PyObject *key) {
    PyObject *flag = PyDict_GetItemWithError(item, key);
    if (flag == NULL) return !PyErr_Occurred();
    if (!is_bool(flag)) return 0;
    return flag == Py_False || PyDict_SetItem(out, key, Py_True) == 0;
}

/* a value made by a check (a new reference, or NULL: the check ends); consumed */
static int put_made(PyObject *out, PyObject *key, PyObject *made) {
    if (made == NULL) return 0;
    int put = PyDict_SetItem(out, key, made) == 0;
    Py_DECREF(made);
    return put;
}

/* the record's citations, its last key: the finished record, or NULL */
static PyObject *with_sources(PyObject *out, PyObject *item) {
    int failed = 0;
    PyObject *sources = get(item, k_sources, &failed);
    if (failed || !put_made(out, k_sources, check_citations(sources))) return incomplete(out, NULL);
    return out;
}

/* _fast_amount */
static PyObject *check_amount(PyObject *value) {
    PyObject *out = begin(value, amount_keys);
    if (out == NULL) return NULL;
    int failed = 0;
    GET(number, value, k_value);
    if (!put_made(out, k_value, check_float(number))) goto incomplete;
    GET(unit, value, k_unit);
    if (unit != NULL && unit != Py_None) {
        int known = PyUnicode_CheckExact(unit) ? PySet_Contains(amount_units, unit) : 0;
        if (known != 1 || PyDict_SetItem(out, k_unit, unit) < 0) goto incomplete;
    }
    if (!put_text(out, value, k_currency, CURRENCY_TEXT) || !put_flag(out, value, k_approximate)) goto incomplete;
    return out;
incomplete:
    return incomplete(out, NULL);
}

/* _fast_fact */
static PyObject *check_fact(PyObject *value) {
    PyObject *out = begin(value, fact_keys);
    if (out == NULL) return NULL;
    int failed = 0;
    GET(name, value, k_name);
    GET(unit, value, k_unit);
    GET(number, value, k_value);
    if (name == NULL || !PyUnicode_CheckExact(name) || PyUnicode_GET_LENGTH(name) == 0) goto incomplete;
    if (unit == NULL || !PyUnicode_CheckExact(unit) || PyUnicode_GET_LENGTH(unit) == 0) goto incomplete;
    if (PyDict_SetItem(out, k_name, name) < 0 || !put_made(out, k_value, check_float(number)) ||
        PyDict_SetItem(out, k_unit, unit) < 0 || !put_text(out, value, k_currency, CURRENCY_TEXT) ||
        !put_date(out, value, k_date) || !put_flag(out, value, k_approximate) || !put_text(out, value, k_note, ANY_TEXT))
        goto incomplete;
    return with_sources(out, value);
incomplete:
    return incomplete(out, NULL);
}

static int ready(void) {
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "ecosystem._speedups: configure() was not called");
        return 0;
    }
    return 1;
}

/* _fast_entity */
static PyObject *entity_checked(PyObject *module, PyObject *item) {
    PyObject *out = begin(item, entity_keys), *made = NULL;
    if (out == NULL) return NULL;
    int failed = 0;
    GET(entity_id, item, k_id);
    GET(name, item, k_name);
    GET(kind, item, k_type);
    if (entity_id == NULL || !is_id(entity_id) || name == NULL || !PyUnicode_CheckExact(name) ||
        PyUnicode_GET_LENGTH(name) == 0 || kind == NULL || !PyUnicode_CheckExact(kind))
        goto incomplete;
    if (PyDict_SetItem(out, k_id, entity_id) < 0 || PyDict_SetItem(out, k_name, name) < 0 ||
        PyDict_SetItem(out, k_type, kind) < 0)
        goto incomplete;
    GET(names, item, k_names);
    if (names != NULL) {
        if (!PyDict_CheckExact(names)) goto incomplete;
        Py_ssize_t pos = 0;
        PyObject *language, *text;
        while (PyDict_Next(names, &pos, &language, &text)) {
            if (!PyUnicode_CheckExact(language) || !PyUnicode_CheckExact(text)) goto incomplete;
            int known = is_language(language);
            if (known < 0) goto incomplete;
            if (!known) goto incomplete;
        }
        if (PyDict_GET_SIZE(names) > 0) {
            made = PyDict_Copy(names);
            if (made == NULL || PyDict_SetItem(out, k_names, made) < 0) goto incomplete;
            Py_CLEAR(made);
        }
    }
    if (!put_strings(out, item, k_aliases) || !put_text(out, item, k_jurisdiction, ID_TEXT) ||
        !put_date(out, item, k_start) || !put_date(out, item, k_end) || !put_text(out, item, k_description, ANY_TEXT))
        goto incomplete;
    GET(facts, item, k_facts);
    if (facts != NULL) {
        if (!PyList_CheckExact(facts)) goto incomplete;
        Py_ssize_t n = PyList_GET_SIZE(facts);
        made = PyList_New(n);
        if (made == NULL) goto incomplete;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *fact = check_fact(PyList_GET_ITEM(facts, i));
            if (fact == NULL) goto incomplete;
            PyList_SET_ITEM(made, i, fact);
        }
        if (n > 0 && PyDict_SetItem(out, k_facts, made) < 0) goto incomplete;
        Py_CLEAR(made);
    }
    GET(distinct, item, k_distinct_from);
    if (distinct != NULL) {
        if (!PyList_CheckExact(distinct)) goto incomplete;
        Py_ssize_t n = PyList_GET_SIZE(distinct);
        for (Py_ssize_t i = 0; i < n; i++)
            if (!is_id(PyList_GET_ITEM(distinct, i))) goto incomplete;
        if (n > 0) {
            made = PyList_GetSlice(distinct, 0, n);
            if (made == NULL || PyDict_SetItem(out, k_distinct_from, made) < 0) goto incomplete;
            Py_CLEAR(made);
        }
    }
    if (!put_flag(out, item, k_inferred)) goto incomplete;
    return with_sources(out, item);
incomplete:
    return incomplete(out, made);
}

/* _fast_relation */
static PyObject *relation_checked(PyObject *module, PyObject *item) {
    PyObject *out = begin(item, relation_keys), *made = NULL;
    if (out == NULL) return NULL;
    int failed = 0;
    GET(kind, item, k_type);
    GET(source, item, k_from);
    GET(target, item, k_to);
    if (kind == NULL || !PyUnicode_CheckExact(kind) || source == NULL || !is_id(source) || target == NULL ||
        !is_id(target))
        goto incomplete;
    GET(relation_id, item, k_id);
    if (relation_id != NULL && relation_id != Py_None) {
        if (!is_id(relation_id)) goto incomplete;
        if (PyDict_SetItem(out, k_id, relation_id) < 0) goto incomplete;
    }
    if (PyDict_SetItem(out, k_type, kind) < 0 || PyDict_SetItem(out, k_from, source) < 0 ||
        PyDict_SetItem(out, k_to, target) < 0)
        goto incomplete;
    PyObject *share_keys[2] = {k_equity, k_votes};
    for (int i = 0; i < 2; i++) {
        GET(share, item, share_keys[i]);
        if (share != NULL && share != Py_None) {
            made = check_share(share);
            if (made == NULL) goto incomplete;
            if (PyDict_SetItem(out, share_keys[i], made) < 0) goto incomplete;
            Py_CLEAR(made);
        }
    }
    GET(amount, item, k_amount);
    if (amount != NULL && amount != Py_None) {
        made = check_amount(amount);
        if (made == NULL) goto incomplete;
        if (PyDict_SetItem(out, k_amount, made) < 0) goto incomplete;
        Py_CLEAR(made);
    }
    if (!put_date(out, item, k_start) || !put_date(out, item, k_end) || !put_date(out, item, k_as_of) ||
        !put_strings(out, item, k_instruments) || !put_text(out, item, k_role, ANY_TEXT) || !put_text(out, item, k_law, ID_TEXT) ||
        !put_flag(out, item, k_inferred) || !put_text(out, item, k_note, ANY_TEXT))
        goto incomplete;
    return with_sources(out, item);
incomplete:
    return incomplete(out, made);
}

/* _fast_source */
static PyObject *source_checked(PyObject *module, PyObject *item) {
    PyObject *out = begin(item, source_keys), *made = NULL;
    if (out == NULL) return NULL;
    int failed = 0;
    GET(source_id, item, k_id);
    GET(kind, item, k_kind);
    GET(title, item, k_title);
    if (source_id == NULL || !is_id(source_id) || kind == NULL || !PyUnicode_CheckExact(kind)) goto incomplete;
    int known = PySet_Contains(source_kinds, kind);
    if (known < 0) goto incomplete;
    if (!known || title == NULL || !PyUnicode_CheckExact(title) || PyUnicode_GET_LENGTH(title) == 0) goto incomplete;
    if (PyDict_SetItem(out, k_id, source_id) < 0 || PyDict_SetItem(out, k_kind, kind) < 0 ||
        PyDict_SetItem(out, k_title, title) < 0)
        goto incomplete;
    PyObject *keys[7] = {k_author, k_container, k_publisher, k_date, k_url, k_pages, k_note};
    for (int i = 0; i < 7; i++)
        if (!(keys[i] == k_date ? put_date(out, item, k_date) : put_text(out, item, keys[i], ANY_TEXT))) goto incomplete;
    return out;
incomplete:
    return incomplete(out, made);
}


/* check(item) in C, or by the Python function when the record holds an odd key (see odd_key) */
static PyObject *checked(PyObject *(*check)(PyObject *, PyObject *), PyObject *python, PyObject *module,
                         PyObject *item) {
    if (!ready()) return NULL;
    int outer = odd_key;  /* a Python function called from a check may call a check in turn */
    odd_key = 0;
    Py_INCREF(item);
    PyObject *out = check(module, item);
    if (odd_key) {
        Py_XDECREF(out);
        out = PyErr_Occurred() ? NULL : PyObject_CallOneArg(python, item);
    } else if (out == NULL && !PyErr_Occurred()) {
        out = Py_NewRef(Py_None); /* not of a known shape */
    }
    Py_DECREF(item);
    odd_key = outer;
    return out;
}

/* _fast_entity */
static PyObject *entity(PyObject *module, PyObject *item) { return checked(entity_checked, py_entity, module, item); }

/* _fast_relation */
static PyObject *relation(PyObject *module, PyObject *item) {
    return checked(relation_checked, py_relation, module, item);
}

/* _fast_source */
static PyObject *source(PyObject *module, PyObject *item) { return checked(source_checked, py_source, module, item); }

/* ---------------------------------------------------------------------------------------------
 * A piece's records checked and summarised: ecosystem._fastload's _read_entities and
 * _read_relations, same results. Each returns a tuple of what the Python function returns, or
 * None where the Python function returns None; it may also return None for forms the records
 * checked above never hold (a date that is not 4, 7 or 10 ASCII characters, a share that is not
 * a float), which makes the fast load decline and the reader read the data. */

/* (value + "-01-01")[:10] into day; 0 for a value of another form */
static int first_day(PyObject *value, char day[10]) {
    if (!PyUnicode_CheckExact(value) || !PyUnicode_IS_ASCII(value)) return 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(value);
    if (n != 4 && n != 7 && n != 10) return 0;
    memcpy(day, "0000-01-01", 10);
    memcpy(day, PyUnicode_1BYTE_DATA(value), (size_t)n);
    return 1;
}

/* 1 when the record's dates are in order (or not both given), 0 when not or of another form */
static int dates_in_order(PyObject *record) {
    PyObject *start = PyDict_GetItemWithError(record, k_start);
    if (start == NULL) return !PyErr_Occurred();
    PyObject *end = PyDict_GetItemWithError(record, k_end);
    if (end == NULL) return !PyErr_Occurred();
    char first[10], last[10];
    if (!first_day(start, first) || !first_day(end, last)) return 0;
    return memcmp(last, first, 10) >= 0;
}

/* each citation's source added to the set cited: 0, or -1 on an error or another form */
static int add_cited(PyObject *citations, PyObject *cited) {
    if (citations == NULL || !PyList_CheckExact(citations)) return -1;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(citations); i++) {
        PyObject *citation = PyList_GET_ITEM(citations, i);
        PyObject *source = PyDict_CheckExact(citation) ? PyDict_GetItemWithError(citation, k_source) : NULL;
        if (source == NULL || PySet_Add(cited, source) < 0) return -1;
    }
    return 0;
}

/* _fold(text) (casefold, NFKD, combining marks removed, strip) for texts whose characters are all
 * ASCII or CJK unified ideographs (U+3400-U+4DBF, U+4E00-U+9FFF: no case, no decomposition, not
 * combining, not whitespace): the ASCII letters lowered and ASCII whitespace stripped. NULL with
 * no error set for any other text (the Python function folds it). */
static PyObject *fold_simple(PyObject *text) {
    if (!PyUnicode_CheckExact(text)) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), start = 0, end = n;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (kind == PyUnicode_4BYTE_KIND) return NULL;
    int upper = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 128) upper |= (c >= 'A' && c <= 'Z');
        else if (!((c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF))) return NULL;
    }
    while (start < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start))) start++;
    while (end > start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1))) end--;
    if (!upper) return (start == 0 && end == n) ? Py_NewRef(text) : PyUnicode_Substring(text, start, end);
    PyObject *folded = PyUnicode_New(end - start, kind == PyUnicode_1BYTE_KIND ? 127 : 0xFFFF);
    if (folded == NULL) return NULL;
    int folded_kind = PyUnicode_KIND(folded);
    void *target = PyUnicode_DATA(folded);
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        PyUnicode_WRITE(folded_kind, target, i - start, (c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    return folded;
}

/* the loader's _folded_names(record) as a tuple (perhaps with repeats, which do not matter to the
 * caller) when every text folds simply; NULL with no error set otherwise */
static PyObject *folded_names_simple(PyObject *record) {
    PyObject *texts = PyList_New(0), *forms = NULL;
    if (texts == NULL) return NULL;
    PyObject *name = PyDict_GetItemWithError(record, k_name);
    PyObject *aliases = name ? PyDict_GetItemWithError(record, k_aliases) : NULL;
    PyObject *names = name && !PyErr_Occurred() ? PyDict_GetItemWithError(record, k_names) : NULL;
    if (name == NULL || PyErr_Occurred() || PyList_Append(texts, name) < 0) goto done;
    if (aliases != NULL && PyList_SetSlice(texts, PyList_GET_SIZE(texts), PyList_GET_SIZE(texts), aliases) < 0) goto done;
    if (names != NULL) {
        Py_ssize_t pos = 0;
        PyObject *language, *text;
        while (PyDict_Next(names, &pos, &language, &text))
            if (PyList_Append(texts, text) < 0) goto done;
    }
    forms = PyList_New(0);
    if (forms == NULL) goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(texts); i++) {
        PyObject *folded = fold_simple(PyList_GET_ITEM(texts, i));
        if (folded == NULL) {
            Py_CLEAR(forms);
            goto done;
        }
        int stored = PyUnicode_GET_LENGTH(folded) > 0 ? PyList_Append(forms, folded) : 0;
        Py_DECREF(folded);
        if (stored < 0) {
            Py_CLEAR(forms);
            goto done;
        }
    }
done:
    Py_DECREF(texts);
    return forms;
}

static PyObject *pack_or_none(PyObject *result) {
    if (result == NULL && !PyErr_Occurred()) Py_RETURN_NONE;
    return result;
}

/* _read_entities(items, entity_types, folded_names) */
static PyObject *read_entities(PyObject *module, PyObject *args) {
    PyObject *items, *entity_types, *folded_names;
    if (!PyArg_ParseTuple(args, "O!O!O:read_entities", &PyList_Type, &items, &PyFrozenSet_Type, &entity_types,
                          &folded_names))
        return NULL;
    PyObject *records = PyDict_New(), *by_type = PyDict_New(), *cited = PySet_New(NULL),
             *jurisdictions = PySet_New(NULL), *others = PySet_New(NULL), *names = PyDict_New();
    PyObject *record = NULL, *forms = NULL, *result = NULL;
    int clash = 0;
    if (!records || !by_type || !cited || !jurisdictions || !others || !names) goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++) {
        record = entity(module, PyList_GET_ITEM(items, i));
        if (record == NULL || record == Py_None) goto done;
        PyObject *entity_id = PyDict_GetItemWithError(record, k_id), *kind = PyDict_GetItemWithError(record, k_type);
        if (entity_id == NULL || kind == NULL) goto done;
        int known = PySet_Contains(entity_types, kind);
        if (known != 1) goto done;
        if (PyDict_SetItem(records, entity_id, record) < 0) goto done;
        PyObject *ids = PyDict_GetItemWithError(by_type, kind);
        if (ids == NULL) {
            if (PyErr_Occurred() || (ids = PyList_New(0)) == NULL) goto done;
            int stored = PyDict_SetItem(by_type, kind, ids);
            Py_DECREF(ids);
            if (stored < 0) goto done;
        }
        if (PyList_Append(ids, entity_id) < 0 || !dates_in_order(record)) goto done;
        if (add_cited(PyDict_GetItemWithError(record, k_sources), cited) < 0) goto done;
        PyObject *facts = PyDict_GetItemWithError(record, k_facts);
        if (facts != NULL) {
            for (Py_ssize_t j = 0; j < PyList_GET_SIZE(facts); j++)
                if (add_cited(PyDict_GetItemWithError(PyList_GET_ITEM(facts, j), k_sources), cited) < 0) goto done;
        }
        PyObject *jurisdiction = PyDict_GetItemWithError(record, k_jurisdiction);
        if (jurisdiction != NULL && PySet_Add(jurisdictions, jurisdiction) < 0) goto done;
        PyObject *distinct = PyDict_GetItemWithError(record, k_distinct_from);
        if (distinct != NULL) {
            for (Py_ssize_t j = 0; j < PyList_GET_SIZE(distinct); j++)
                if (PySet_Add(others, PyList_GET_ITEM(distinct, j)) < 0) goto done;
        }
        if (PyErr_Occurred()) goto done;
        forms = folded_names_simple(record);
        if (forms == NULL && (PyErr_Occurred() || (forms = PyObject_CallOneArg(folded_names, record)) == NULL))
            goto done;
        PyObject *iterator = PyObject_GetIter(forms), *form;
        if (iterator == NULL) goto done;
        while ((form = PyIter_Next(iterator)) != NULL) {
            PyObject *first = PyDict_SetDefault(names, form, entity_id);
            Py_DECREF(form);
            if (first == NULL) break;
            if (first != entity_id) clash = 1;
        }
        Py_DECREF(iterator);
        Py_CLEAR(forms);
        if (PyErr_Occurred()) goto done;
        Py_CLEAR(record);
    }
    if (PyDict_GET_SIZE(records) == PyList_GET_SIZE(items))
        result = PyTuple_Pack(7, records, by_type, cited, jurisdictions, others, names, clash ? Py_True : Py_False);
done:
    Py_XDECREF(record);
    Py_XDECREF(forms);
    Py_XDECREF(records); Py_XDECREF(by_type); Py_XDECREF(cited); Py_XDECREF(jurisdictions);
    Py_XDECREF(others); Py_XDECREF(names);
    return pack_or_none(result);
}

/* _read_relations(items, relation_types, with_shares, counted) */
static PyObject *read_relations(PyObject *module, PyObject *args) {
    PyObject *items, *relation_types, *with_shares, *counted;
    if (!PyArg_ParseTuple(args, "O!O!O!O!:read_relations", &PyList_Type, &items, &PyFrozenSet_Type, &relation_types,
                          &PyFrozenSet_Type, &with_shares, &PyFrozenSet_Type, &counted))
        return NULL;
    PyObject *records = PyDict_New(), *ends = PyDict_New(), *laws = PySet_New(NULL), *cited = PySet_New(NULL),
             *equity = PyDict_New(), *heavy = PyList_New(0);
    PyObject *record = NULL, *result = NULL;
    if (!records || !ends || !laws || !cited || !equity || !heavy) goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++) {
        record = relation(module, PyList_GET_ITEM(items, i));
        if (record == NULL || record == Py_None) goto done;
        PyObject *kind = PyDict_GetItemWithError(record, k_type), *source = PyDict_GetItemWithError(record, k_from),
                 *target = PyDict_GetItemWithError(record, k_to);
        if (kind == NULL || source == NULL || target == NULL) goto done;
        if (PySet_Contains(relation_types, kind) != 1) goto done;
        int same = PyObject_RichCompareBool(source, target, Py_EQ);
        if (same != 0) goto done;
        PyObject *stake = PyDict_GetItemWithError(record, k_equity);
        PyObject *votes = stake == NULL ? PyDict_GetItemWithError(record, k_votes) : NULL;
        if (PyErr_Occurred()) goto done;
        if (stake != NULL || votes != NULL) {
            if (PySet_Contains(with_shares, kind) != 1) goto done;
        }
        PyObject *pair = PyDict_GetItemWithError(ends, kind);
        if (pair == NULL) {
            if (PyErr_Occurred()) goto done;
            PyObject *starts = PySet_New(NULL), *finishes = PySet_New(NULL);
            pair = (starts && finishes) ? PyTuple_Pack(2, starts, finishes) : NULL;
            Py_XDECREF(starts);
            Py_XDECREF(finishes);
            if (pair == NULL) goto done;
            int stored = PyDict_SetItem(ends, kind, pair);
            Py_DECREF(pair);
            if (stored < 0) goto done;
        }
        if (PySet_Add(PyTuple_GET_ITEM(pair, 0), source) < 0 || PySet_Add(PyTuple_GET_ITEM(pair, 1), target) < 0) goto done;
        PyObject *law = PyDict_GetItemWithError(record, k_law);
        if (law != NULL && PySet_Add(laws, law) < 0) goto done;
        if (PyErr_Occurred() || !dates_in_order(record)) goto done;
        if (add_cited(PyDict_GetItemWithError(record, k_sources), cited) < 0) goto done;
        PyObject *relation_id = PyDict_GetItemWithError(record, k_id);
        if (relation_id == NULL) {
            if (PyErr_Occurred()) goto done;
            PyObject *derived = PyUnicode_FromFormat("%U__%U__%U", source, kind, target);
            if (derived == NULL) goto done;
            int stored = PyDict_SetItem(record, k_id, derived);
            Py_DECREF(derived);  /* the record holds it */
            if (stored < 0) goto done;
            relation_id = derived;
        }
        if (PyDict_SetItem(records, relation_id, record) < 0) goto done;
        if (stake != NULL) {
            int counts = PySet_Contains(counted, kind);
            if (counts < 0) goto done;
            if (counts) {
                /* the loader's _share_low: the value, else the minimum, else 0 */
                PyObject *low = PyDict_GetItemWithError(stake, k_value);
                if (low == NULL && !PyErr_Occurred()) low = PyDict_GetItemWithError(stake, k_min);
                if (PyErr_Occurred() || (low != NULL && !PyFloat_CheckExact(low))) goto done;
                PyObject *held = PyDict_GetItemWithError(equity, target);
                if (held == NULL) {
                    if (PyErr_Occurred()) goto done;
                    PyObject *number = low != NULL ? Py_NewRef(low) : PyFloat_FromDouble(0.0);
                    PyObject *ids = PyList_New(1);
                    if (number == NULL || ids == NULL) {
                        Py_XDECREF(number);
                        Py_XDECREF(ids);
                        goto done;
                    }
                    PyList_SET_ITEM(ids, 0, Py_NewRef(relation_id));
                    held = PyList_New(2);
                    if (held == NULL) {
                        Py_DECREF(number);
                        Py_DECREF(ids);
                        goto done;
                    }
                    PyList_SET_ITEM(held, 0, number);
                    PyList_SET_ITEM(held, 1, ids);
                    int stored = PyDict_SetItem(equity, target, held);
                    Py_DECREF(held);
                    if (stored < 0) goto done;
                } else {
                    double sum = PyFloat_AS_DOUBLE(PyList_GET_ITEM(held, 0)) + (low != NULL ? PyFloat_AS_DOUBLE(low) : 0.0);
                    PyObject *number = PyFloat_FromDouble(sum);
                    if (number == NULL || PyList_SetItem(held, 0, number) < 0) goto done;
                    if (PyList_Append(PyList_GET_ITEM(held, 1), relation_id) < 0) goto done;
                }
            }
        }
        Py_CLEAR(record);
    }
    if (PyDict_GET_SIZE(records) == PyList_GET_SIZE(items)) {
        Py_ssize_t pos = 0;
        PyObject *target, *held;
        while (PyDict_Next(equity, &pos, &target, &held)) {
            if (PyFloat_AS_DOUBLE(PyList_GET_ITEM(held, 0)) > 100.0001) {
                PyObject *ids = PyList_GET_ITEM(held, 1);
                if (PyList_SetSlice(heavy, PyList_GET_SIZE(heavy), PyList_GET_SIZE(heavy), ids) < 0) goto done;
            }
        }
        result = PyTuple_Pack(6, records, ends, laws, cited, equity, heavy);
    }
done:
    Py_XDECREF(record);
    Py_XDECREF(records); Py_XDECREF(ends); Py_XDECREF(laws); Py_XDECREF(cited); Py_XDECREF(equity);
    Py_XDECREF(heavy);
    return pack_or_none(result);
}

/* ---------------------------------------------------------------------------------------------
 * parse_items(data, start, end, indent): the items of a block sequence in data[start:end], as
 * PyYAML (YAML 1.1, the safe loader) reads them, for a plain subset of YAML; None for anything
 * outside it, which is then read by the general parser. The subset is what people and programs
 * usually write for records:
 *
 *   - id: x                              items at `indent` spaces and "- ": block mappings and
 *     name: "X"                          block sequences (under a key, indented deeper or at the
 *     sources: ["a §1", {source: b}]     key's column) whose values sit on their key's or item's
 *     facts:                             line: plain or quoted scalars, flow collections on one
 *       - {name: n, value: 1}            line; comments and blank lines anywhere. What
 *     amount:                            yaml.safe_dump writes for records is in the subset.
 *       value: 5
 *   - {type: owns, from: a, to: b}
 *
 * Plain scalars are resolved as PyYAML resolves them, for the forms accepted: decimal integers,
 * decimals such as 5.4, YYYY-MM-DD dates (datetime.date), true/false, and strings no resolver
 * can match. Declined (None): other number and date forms, yes/no/on/off, null and empty values,
 * anchors, aliases, tags, block scalars, multi-line scalars, duplicate keys, tabs outside quotes,
 * CR, characters PyYAML refuses or reads as line breaks, and anything else unusual. What is
 * accepted is compared with PyYAML in tests/test_yaml_subset.py. */

typedef struct {
    const unsigned char *p, *end;
    int depth;  /* of flow collections */
    int blocks; /* of block collections */
} Text;

#define DECLINE NULL /* returned with no error set */

static int valid_text(const unsigned char *s, const unsigned char *end) {
    /* UTF-8, no character PyYAML's reader refuses or reads as a line break, no CR */
    while (s < end) {
        unsigned char c = *s;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return 0;
            s++;
            continue;
        }
        Py_UCS4 code;
        int length;
        if (c >= 0xC2 && c <= 0xDF) { code = c & 0x1F; length = 2; }
        else if (c >= 0xE0 && c <= 0xEF) { code = c & 0x0F; length = 3; }
        else if (c >= 0xF0 && c <= 0xF4) { code = c & 0x07; length = 4; }
        else return 0;
        if (end - s < length) return 0;
        for (int i = 1; i < length; i++) {
            if ((s[i] & 0xC0) != 0x80) return 0;
            code = (code << 6) | (s[i] & 0x3F);
        }
        if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF))) return 0;
        if ((code >= 0xD800 && code <= 0xDFFF) || code <= 0x9F || code == 0x2028 || code == 0x2029 ||
            code == 0xFEFF || code == 0xFFFE || code == 0xFFFF)
            return 0;
        s += length;
    }
    return 1;
}

static PyObject *text_of(const unsigned char *s, Py_ssize_t n) {
    return PyUnicode_DecodeUTF8((const char *)s, n, NULL);
}

static inline int is_digit_byte(unsigned char c) { return c >= '0' && c <= '9'; }

static int days_in_month(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) return 29;
    return days[month - 1];
}

/* PyYAML's bool, null, merge and value words */
static int is_resolved_word(const unsigned char *s, Py_ssize_t n) {
    static const char *words[] = {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
                                  "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", "<<",
                                  "=", NULL};
    for (int i = 0; words[i]; i++)
        if ((Py_ssize_t)strlen(words[i]) == n && memcmp(words[i], s, (size_t)n) == 0) return 1;
    return 0;
}

/* a plain scalar's value, as PyYAML resolves it (for the forms accepted) */
static PyObject *plain_value(const unsigned char *s, Py_ssize_t n) {
    unsigned char c = s[0];
    if (is_digit_byte(c) || (c == '-' && n > 1 && is_digit_byte(s[1]))) {
        Py_ssize_t i = c == '-', digits = 0;
        while (i < n && is_digit_byte(s[i])) { i++; digits++; }
        if (i == n) { /* an integer: no leading zero (octal in YAML 1.1) */
            if (digits > 1 && s[c == '-'] == '0') return DECLINE;
            char buffer[64];
            if (n >= (Py_ssize_t)sizeof buffer) return DECLINE;
            memcpy(buffer, s, (size_t)n);
            buffer[n] = 0;
            return PyLong_FromString(buffer, NULL, 10);
        }
        if (s[i] == '.' && i + 1 < n) { /* a decimal */
            Py_ssize_t j = i + 1;
            while (j < n && is_digit_byte(s[j])) j++;
            if (j == n) {
                char buffer[128];
                if (n >= (Py_ssize_t)sizeof buffer) return DECLINE;
                memcpy(buffer, s, (size_t)n);
                buffer[n] = 0;
                double value = PyOS_string_to_double(buffer, NULL, NULL);
                if (value == -1.0 && PyErr_Occurred()) return NULL;
                return PyFloat_FromDouble(value);
            }
        }
        if (c != '-' && digits == 4 && i < n && s[i] == '-' && (n == 7 || n == 10) && is_digit_byte(s[5]) &&
            is_digit_byte(s[6]) && (n == 7 || (s[7] == '-' && is_digit_byte(s[8]) && is_digit_byte(s[9])))) {
            if (n == 7) return text_of(s, n); /* YYYY-MM: no resolver matches it */
            int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
            int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return DECLINE;
            return PyDate_FromDate(year, month, day);
        }
        /* text, when it holds a character none of the number and date patterns has */
        for (Py_ssize_t k = 0; k < n; k++)
            if (!strchr("0123456789abcdefABCDEFxXoObB_.:+-eEtTzZiInNfFaA \t", s[k]) || s[k] == 0) return text_of(s, n);
        return DECLINE;
    }
    if (strchr("yYnNtTfFoO~<=", c) && c != 0) {
        if ((n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4)))) Py_RETURN_TRUE;
        if ((n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5)))) Py_RETURN_FALSE;
        if (is_resolved_word(s, n)) return DECLINE;
        return text_of(s, n);
    }
    if (c >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '(' || c == '$' ||
        c == '/' || c == '^' || c == ';' || c == '\\')
        return text_of(s, n);
    return DECLINE; /* indicators, quotes, signs, dots: not in the subset */
}

static PyObject *flow_value(Text *t);

static inline void skip_spaces(Text *t) {
    while (t->p < t->end && *t->p == ' ') t->p++;
}

/* a plain scalar: in a flow collection it ends at , ] } (a : ? [ { # or tab in it declines); in
 * a block it runs to the end of the line or a comment (": " or a tab in it declines) */
static PyObject *plain(Text *t, int flow) {
    const unsigned char *start = t->p, *last = t->p;
    while (t->p < t->end && *t->p != '\n') {
        unsigned char c = *t->p;
        if (c == '\t') return DECLINE;
        if (flow) {
            if (c == ',' || c == ']' || c == '}') break;
            if (c == ':' || c == '?' || c == '[' || c == '{' || c == '#') return DECLINE;
        } else {
            if (c == '#' && t->p > start && t->p[-1] == ' ') break;
            if (c == ':' && (t->p + 1 == t->end || t->p[1] == ' ' || t->p[1] == '\n')) return DECLINE;
        }
        if (c != ' ') last = t->p + 1;
        t->p++;
    }
    if (last == start) return DECLINE;
    t->p = last;
    return plain_value(start, last - start);
}

static int hex_value(const unsigned char *s, int digits, Py_UCS4 *code) {
    *code = 0;
    for (int i = 0; i < digits; i++) {
        unsigned char c = s[i];
        int v = is_digit_byte(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
        if (v < 0) return 0;
        *code = (*code << 4) | (Py_UCS4)v;
    }
    return 1;
}

static void put_code(unsigned char **out, Py_UCS4 code) {
    unsigned char *o = *out;
    if (code < 0x80) *o++ = (unsigned char)code;
    else if (code < 0x800) { *o++ = 0xC0 | (code >> 6); *o++ = 0x80 | (code & 0x3F); }
    else if (code < 0x10000) { *o++ = 0xE0 | (code >> 12); *o++ = 0x80 | ((code >> 6) & 0x3F); *o++ = 0x80 | (code & 0x3F); }
    else { *o++ = 0xF0 | (code >> 18); *o++ = 0x80 | ((code >> 12) & 0x3F); *o++ = 0x80 | ((code >> 6) & 0x3F); *o++ = 0x80 | (code & 0x3F); }
    *out = o;
}

/* a quoted scalar closed on its line */
static PyObject *quoted(Text *t) {
    unsigned char quote = *t->p++;
    const unsigned char *start = t->p;
    int escapes = 0;
    while (t->p < t->end && *t->p != '\n') {
        unsigned char c = *t->p;
        if (c == quote) {
            if (quote == '\'' && t->p + 1 < t->end && t->p[1] == '\'') { escapes = 1; t->p += 2; continue; }
            break;
        }
        if (c == '\\' && quote == '"') {
            escapes = 1;
            if (t->p + 1 >= t->end || t->p[1] == '\n') return DECLINE;
            t->p += 2;
            continue;
        }
        t->p++;
    }
    if (t->p >= t->end || *t->p != quote) return DECLINE; /* not closed on this line */
    const unsigned char *stop = t->p++;
    if (!escapes) return text_of(start, stop - start);
    unsigned char *buffer = PyMem_Malloc((size_t)(stop - start) + 4), *out = buffer;
    if (buffer == NULL) return PyErr_NoMemory();
    for (const unsigned char *s = start; s < stop;) {
        if (quote == '\'') {
            if (*s == '\'') s++; /* '' */
            *out++ = *s++;
            continue;
        }
        if (*s != '\\') { *out++ = *s++; continue; }
        unsigned char e = s[1];
        s += 2;
        Py_UCS4 code;
        int digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
        if (digits) {
            if (stop - s < digits || !hex_value(s, digits, &code) || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
                PyMem_Free(buffer);
                return DECLINE;
            }
            s += digits;
            put_code(&out, code);
            continue;
        }
        const char *from = "0abtnvfre \"\\\t", *to = "\0\a\b\t\n\v\f\r\x1b \"\\\t";
        const char *at = e ? strchr(from, e) : NULL;
        if (at == NULL) { /* \N \_ \L \P \/ and anything else: not in the subset */
            PyMem_Free(buffer);
            return DECLINE;
        }
        *out++ = (unsigned char)to[at - from];
    }
    PyObject *value = text_of(buffer, out - buffer);
    PyMem_Free(buffer);
    return value;
}

/* a plain key: a letter, then letters, digits, _ or -; not a word PyYAML resolves */
static PyObject *key(Text *t) {
    const unsigned char *start = t->p;
    if (t->p >= t->end || !((*t->p >= 'a' && *t->p <= 'z') || (*t->p >= 'A' && *t->p <= 'Z'))) return DECLINE;
    while (t->p < t->end && ((*t->p >= 'a' && *t->p <= 'z') || (*t->p >= 'A' && *t->p <= 'Z') ||
                             is_digit_byte(*t->p) || *t->p == '_' || *t->p == '-'))
        t->p++;
    if (is_resolved_word(start, t->p - start)) return DECLINE;
    if (t->p + 1 >= t->end || *t->p != ':' || (t->p[1] != ' ' && t->p[1] != '\n')) {
        if (!(t->p + 1 == t->end && *t->p == ':')) return DECLINE;
    }
    PyObject *name = text_of(start, t->p - start);
    if (name != NULL) PyUnicode_InternInPlace(&name);
    t->p++; /* the colon */
    return name;
}

/* d[name] = value, declining a key given twice; steals both */
static int put_new(PyObject *d, PyObject *name, PyObject *value) {
    int there = PyDict_Contains(d, name);
    int stored = there == 0 ? PyDict_SetItem(d, name, value) : -1;
    Py_DECREF(name);
    Py_DECREF(value);
    return there == 0 && stored == 0 ? 0 : -1;
}

/* list.append(value); steals it */
static int append_new(PyObject *list, PyObject *value) {
    int stored = PyList_Append(list, value);
    Py_DECREF(value);
    return stored;
}

/* a flow mapping {k: v, ...} or a flow sequence [v, ...], on one line, no trailing comma */
static PyObject *flow_collection(Text *t, int mapping) {
    unsigned char close = mapping ? '}' : ']';
    t->p++; /* { or [ */
    PyObject *out = mapping ? PyDict_New() : PyList_New(0);
    if (out == NULL) return NULL;
    skip_spaces(t);
    if (t->p < t->end && *t->p == close) {
        t->p++;
        return out;
    }
    for (;;) {
        PyObject *name = NULL;
        if (mapping) {
            name = key(t);
            if (name == NULL) goto fail;
            if (t->p >= t->end || *t->p != ' ') {
                Py_DECREF(name);
                goto fail;
            }
            skip_spaces(t);
        }
        PyObject *value = flow_value(t);
        if (value == NULL) {
            Py_XDECREF(name);
            goto fail;
        }
        if ((mapping ? put_new(out, name, value) : append_new(out, value)) < 0) goto fail;
        skip_spaces(t);
        if (t->p < t->end && *t->p == ',') {
            t->p++;
            skip_spaces(t);
            continue;
        }
        if (t->p < t->end && *t->p == close) {
            t->p++;
            return out;
        }
        goto fail;
    }
fail:
    Py_DECREF(out);
    return NULL;
}

static PyObject *flow_value(Text *t) {
    if (t->p >= t->end) return DECLINE;
    if (++t->depth > 20) { t->depth--; return DECLINE; }
    unsigned char c = *t->p;
    PyObject *value = (c == '{' || c == '[') ? flow_collection(t, c == '{') : (c == '"' || c == '\'') ? quoted(t)
                                                                                                     : plain(t, 1);
    t->depth--;
    return value;
}

/* the rest of a line after a value: blanks, perhaps a comment after a blank; 0 if anything else */
static int line_end(Text *t) {
    const unsigned char *before = t->p;
    skip_spaces(t);
    if (t->p < t->end && *t->p == '#') {
        if (t->p == before) return 0;
        while (t->p < t->end && *t->p != '\n') t->p++;
    }
    if (t->p < t->end) {
        if (*t->p != '\n') return 0;
        t->p++;
    }
    return 1;
}

/* past blank and comment lines; the indentation of the next line (-1 at the end of the text) */
static Py_ssize_t next_line(Text *t) {
    while (t->p < t->end) {
        const unsigned char *line = t->p;
        while (t->p < t->end && *t->p == ' ') t->p++;
        if (t->p < t->end && *t->p == '#') {
            while (t->p < t->end && *t->p != '\n') t->p++;
        }
        if (t->p >= t->end) return -1;
        if (*t->p == '\n') { t->p++; continue; }
        Py_ssize_t indentation = t->p - line;
        t->p = line;
        return indentation;
    }
    return -1;
}

static inline int item_at(Text *t, Py_ssize_t column) {
    return t->end - t->p > column + 1 && t->p[column] == '-' && t->p[column + 1] == ' ';
}

/* a value on the line of a block mapping's key or of a block sequence's item */
static PyObject *block_value(Text *t) {
    if (t->p >= t->end) return DECLINE;
    unsigned char c = *t->p;
    PyObject *value;
    if (c == '{' || c == '[' || c == '"' || c == '\'') {
        t->depth = 0;
        value = flow_value(t);
    } else {
        value = plain(t, 0);
    }
    if (value != NULL && !line_end(t)) Py_CLEAR(value);
    return value;
}

static PyObject *block_mapping(Text *t, Py_ssize_t column);

/* a plain key and its colon at t->p, followed by a blank or the line's end (nothing consumed) */
static int key_ahead(const Text *t) {
    const unsigned char *p = t->p;
    if (p >= t->end || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return 0;
    while (p < t->end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || is_digit_byte(*p) || *p == '_' ||
                          *p == '-'))
        p++;
    return p < t->end && *p == ':' && (p + 1 == t->end || p[1] == ' ' || p[1] == '\n');
}

/* a block sequence with its items at `column`, t->p at the start of the first item's line; each
 * item a one-line value or a block mapping begun on the item's line. Returns at the first line
 * that is not one of its items (left for the caller). */
static PyObject *block_sequence(Text *t, Py_ssize_t column) {
    if (++t->blocks > 20) { t->blocks--; return DECLINE; }
    PyObject *list = PyList_New(0);
    if (list == NULL) goto fail;
    for (;;) {
        t->p += column + 2;
        if (t->p < t->end && *t->p == ' ') goto fail;
        PyObject *value = key_ahead(t) ? block_mapping(t, column + 2) : block_value(t);
        if (value == NULL || append_new(list, value) < 0) goto fail;
        Py_ssize_t next = next_line(t);
        if (next == column && item_at(t, column)) continue;
        if (next > column) goto fail; /* a deeper line that belongs to no item */
        t->blocks--;
        return list;
    }
fail:
    t->blocks--;
    Py_XDECREF(list);
    return NULL;
}

/* a block mapping with its keys at `column`, t->p at its first key; each value on its key's line,
 * or a block mapping indented deeper, or a block sequence indented deeper or at `column`.
 * Returns at the first line less indented than its keys (left for the caller). */
static PyObject *block_mapping(Text *t, Py_ssize_t column) {
    if (++t->blocks > 20) { t->blocks--; return DECLINE; }
    PyObject *d = PyDict_New();
    if (d == NULL) goto fail;
    for (;;) {
        PyObject *name = key(t), *value;
        if (name == NULL) goto fail;
        if (t->p < t->end && *t->p == ' ') {
            skip_spaces(t);
            if (t->p >= t->end || *t->p == '\n' || *t->p == '#') {
                Py_DECREF(name);
                goto fail; /* no value (null), or only a comment: not in the subset */
            }
            value = block_value(t);
        } else {
            if (t->p < t->end) t->p++; /* the newline */
            Py_ssize_t inner = next_line(t);
            if (inner >= column && item_at(t, inner)) {
                value = block_sequence(t, inner);
            } else if (inner > column) {
                t->p += inner;
                value = block_mapping(t, inner);
            } else {
                value = DECLINE; /* no value (null) */
            }
        }
        if (value == NULL) { Py_DECREF(name); goto fail; }
        if (put_new(d, name, value) < 0) goto fail;
        Py_ssize_t next = next_line(t);
        if (next == column && !item_at(t, column)) {
            t->p += column;
            continue;
        }
        if (next >= column) goto fail; /* deeper, or an item at the keys' column */
        t->blocks--;
        return d;
    }
fail:
    t->blocks--;
    Py_XDECREF(d);
    return NULL;
}

/* parse_items(data, indent) or parse_items(data, start, end, indent) */
static PyObject *parse_items(PyObject *module, PyObject *args) {
    Py_buffer buffer;
    Py_ssize_t start = 0, end = -1, indent = -1;
    if (PyTuple_GET_SIZE(args) == 2) {
        if (!PyArg_ParseTuple(args, "y*n:parse_items", &buffer, &indent)) return NULL;
        end = buffer.len;
    } else if (!PyArg_ParseTuple(args, "y*nnn:parse_items", &buffer, &start, &end, &indent)) {
        return NULL;
    }
    PyObject *items = NULL;
    if (start < 0 || end > buffer.len || start > end || indent < 0) goto decline;
    Text t = {(const unsigned char *)buffer.buf + start, (const unsigned char *)buffer.buf + end, 0, 0};
    if (!valid_text(t.p, t.end)) goto decline;
    if (next_line(&t) != indent || !item_at(&t, indent)) goto decline;
    items = block_sequence(&t, indent);
    if (items != NULL && next_line(&t) < 0) goto done; /* the whole text is that one sequence */
decline:
    Py_CLEAR(items);
    if (!PyErr_Occurred()) items = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&buffer);
    return items;
}

/* configure(entity_keys=..., ...): the loader's definitions, given once at import */
static PyObject *configure(PyObject *module, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"entity_keys", "relation_keys", "source_keys", "fact_keys", "amount_keys",
                            "citation_keys", "amount_units", "source_kinds", "share", "language", "entity",
                            "relation", "source", NULL};
    PyObject *given[13];
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!O!O!O!O!O!O!O!OOOOO:configure", names,
                                     &PyFrozenSet_Type, &given[0], &PyFrozenSet_Type, &given[1],
                                     &PyFrozenSet_Type, &given[2], &PyFrozenSet_Type, &given[3],
                                     &PyFrozenSet_Type, &given[4], &PyFrozenSet_Type, &given[5],
                                     &PyFrozenSet_Type, &given[6], &PyFrozenSet_Type, &given[7],
                                     &given[8], &given[9], &given[10], &given[11], &given[12]))
        return NULL;
    PyObject **slots[13] = {&entity_keys, &relation_keys, &source_keys, &fact_keys, &amount_keys,
                            &citation_keys, &amount_units, &source_kinds, &py_share, &py_language,
                            &py_entity, &py_relation, &py_source};
    for (int i = 0; i < 13; i++) Py_XSETREF(*slots[i], Py_NewRef(given[i]));
    configured = 1;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", (PyCFunction)(void (*)(void))configure, METH_VARARGS | METH_KEYWORDS,
     "Give the loader's key sets, source kinds, amount units, share check, language pattern and record checks."},
    {"entity", entity, METH_O, "The loader's _fast_entity: the validated record, or None."},
    {"relation", relation, METH_O, "The loader's _fast_relation: the validated record, or None."},
    {"source", source, METH_O, "The loader's _fast_source: the validated record, or None."},
    {"read_entities", read_entities, METH_VARARGS, "ecosystem._fastload._read_entities: a piece's summary, or None."},
    {"parse_items", parse_items, METH_VARARGS,
     "parse_items(data, [start, end,] indent): the items of a block sequence in data[start:end] (indented "
     "`indent` spaces), as PyYAML reads them; None outside the plain subset this reads."},
    {"read_relations", read_relations, METH_VARARGS, "ecosystem._fastload._read_relations: a piece's summary, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "_speedups",
    "The loader's record checks for common, well-formed shapes, in C (see ecosystem.loader).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__speedups(void) {
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL) return NULL;
    struct { PyObject **slot; const char *text; } keys[] = {
        {&k_id, "id"}, {&k_name, "name"}, {&k_type, "type"}, {&k_names, "names"}, {&k_aliases, "aliases"},
        {&k_jurisdiction, "jurisdiction"}, {&k_start, "start"}, {&k_end, "end"},
        {&k_description, "description"}, {&k_facts, "facts"}, {&k_distinct_from, "distinct_from"},
        {&k_inferred, "inferred"}, {&k_sources, "sources"}, {&k_from, "from"}, {&k_to, "to"},
        {&k_equity, "equity"}, {&k_votes, "votes"}, {&k_amount, "amount"}, {&k_as_of, "as_of"},
        {&k_instruments, "instruments"}, {&k_role, "role"}, {&k_law, "law"}, {&k_note, "note"},
        {&k_value, "value"}, {&k_unit, "unit"}, {&k_currency, "currency"}, {&k_date, "date"},
        {&k_approximate, "approximate"}, {&k_source, "source"}, {&k_locator, "locator"}, {&k_kind, "kind"},
        {&k_title, "title"}, {&k_author, "author"}, {&k_container, "container"},
        {&k_publisher, "publisher"}, {&k_url, "url"}, {&k_pages, "pages"}, {&k_min, "min"},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        *keys[i].slot = PyUnicode_InternFromString(keys[i].text);
        if (*keys[i].slot == NULL) return NULL;
    }
    PyObject *module = PyModule_Create(&module_definition);
    /* ecosystem.loader.SPEEDUPS_API: raise both when the functions or configure() change */
    if (module != NULL && PyModule_AddIntConstant(module, "API", 1) < 0) Py_CLEAR(module);
    return module;
}
