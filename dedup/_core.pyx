# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""Compiled per-article hot path: the same results as the pure-Python reference.

Each function here has a reference in the pure modules (named in its docstring) that
computes the same values; tests/test_core.py ties the two together. The modules call these
through ``dedup._accel`` only, which falls back to the reference where this is not built.
"""

from libc.stdint cimport int32_t, int64_t, uint32_t, uint64_t
from cpython.ref cimport PyObject
from libc.stdlib cimport free, malloc, realloc

import numpy as np

cdef extern from "_kernels.h" nogil:
    # out[p] = min(out[p], a[p] * h + b[p]) over the 32-bit mix h of each shingle
    # (MinHasher.permuted's arithmetic, modulo 2**32)
    void _minima "dedup_minima" (const uint64_t* shingles, Py_ssize_t n, const uint32_t* a,
                                 const uint32_t* b, Py_ssize_t perms, uint32_t* out)


cdef extern from "Python.h":
    # The very predicates re's \w and \d use for str patterns (sre: SRE_UNI_IS_ALNUM is
    # Py_UNICODE_ISALNUM, SRE_UNI_IS_DIGIT is Py_UNICODE_ISDECIMAL): same classes by
    # construction, for all of Unicode.
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch) nogil
    bint Py_UNICODE_ISDECIMAL(Py_UCS4 ch) nogil
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch) nogil
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    object PyUnicode_Substring(object o, Py_ssize_t start, Py_ssize_t end)
    PyObject* PyDict_GetItem(object d, object key)  # borrowed; NULL if absent
    Py_ssize_t PyDict_Size(object d)


# The two classes for Latin-1, filled from the same predicates at import: one lookup
# instead of four calls into Python's Unicode database for most characters of news text.
cdef unsigned char _ALNUM[256]
cdef unsigned char _LETTER[256]
cdef int _c
for _c in range(256):
    _ALNUM[_c] = Py_UNICODE_ISALNUM(_c)
    _LETTER[_c] = Py_UNICODE_ISALNUM(_c) and not Py_UNICODE_ISDECIMAL(_c)


cdef inline bint _is_alnum(Py_UCS4 c) noexcept nogil:
    # [^\W_] of TOKEN_RE
    if c < 256:
        return _ALNUM[c]
    return Py_UNICODE_ISALNUM(c)


cdef inline bint _is_letter(Py_UCS4 c) noexcept nogil:
    # [^\W\d_] of TOKEN_RE: a word character that is neither a decimal digit nor '_'
    # ('_' is not alnum).
    if c < 256:
        return _LETTER[c]
    return Py_UNICODE_ISALNUM(c) and not Py_UNICODE_ISDECIMAL(c)


cdef inline bint _is_apostrophe(Py_UCS4 c) noexcept nogil:
    # ['’ʼ`´] of TOKEN_RE
    return c == 0x27 or c == 0x2019 or c == 0x2BC or c == 0x60 or c == 0xB4


cdef Py_ssize_t _token_end(int kind, void* data, Py_ssize_t i, Py_ssize_t end) noexcept nogil:
    """End of TOKEN_RE's match at ``i`` (a word character), as re.finditer finds it: the
    first alternative, ``(?:[^\\W\\d_]\\.){2,}`` greedy, if it matches, else the second,
    ``[^\\W_]+(?:['’ʼ`´][^\\W_]+)*`` greedy (neither can end sooner by backtracking)."""
    cdef Py_ssize_t j = i, pairs = 0
    while j + 1 < end and _is_letter(PyUnicode_READ(kind, data, j)) \
            and PyUnicode_READ(kind, data, j + 1) == 0x2E:
        j += 2
        pairs += 1
    if pairs >= 2:
        return j
    j = i + 1
    while j < end and _is_alnum(PyUnicode_READ(kind, data, j)):
        j += 1
    while j + 1 < end and _is_apostrophe(PyUnicode_READ(kind, data, j)) \
            and _is_alnum(PyUnicode_READ(kind, data, j + 1)):
        j += 2
        while j < end and _is_alnum(PyUnicode_READ(kind, data, j)):
            j += 1
    return j


cdef Py_ssize_t _scan(str text, Py_ssize_t start, Py_ssize_t end, int64_t** out) except -1:
    """The matches of ``normalize.TOKEN_RE`` in ``text[start:end]``: their count, and
    their (start, end) pairs in ``*out`` (malloc'd; the caller frees it)."""
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    end = min(end, len(text))
    start = max(start, 0)
    cdef Py_ssize_t cap = 64, count = 0, i = start, j
    cdef int64_t* buf = <int64_t*> malloc(cap * 2 * sizeof(int64_t))
    cdef int64_t* grown
    if buf == NULL:
        raise MemoryError()
    with nogil:
        while i < end:
            if not _is_alnum(PyUnicode_READ(kind, data, i)):
                i += 1
                continue
            j = _token_end(kind, data, i, end)
            if count == cap:
                cap *= 2
                grown = <int64_t*> realloc(buf, cap * 2 * sizeof(int64_t))
                if grown == NULL:
                    free(buf)
                    with gil:
                        raise MemoryError()
                buf = grown
            buf[2 * count] = i
            buf[2 * count + 1] = j
            count += 1
            i = j
    out[0] = buf
    return count


def token_spans(str text not None, Py_ssize_t start, Py_ssize_t end):
    """``[start, end)`` of each match of ``normalize.TOKEN_RE`` in ``text[start:end]``, as
    one int64 array of (start, end) rows."""
    cdef int64_t* buf = NULL
    cdef Py_ssize_t count = _scan(text, start, end, &buf), k
    out = np.empty((count, 2), np.int64)
    cdef int64_t[:, ::1] o = out
    for k in range(count):
        o[k, 0] = buf[2 * k]
        o[k, 1] = buf[2 * k + 1]
    free(buf)
    return out


cdef list _words(str text, int64_t* buf, Py_ssize_t count, dict forms, object normal):
    cdef list words = [None] * count
    cdef object raw, word
    cdef PyObject* found
    cdef Py_ssize_t k
    for k in range(count):
        raw = PyUnicode_Substring(text, buf[2 * k], buf[2 * k + 1])
        found = PyDict_GetItem(forms, raw)
        if found is NULL:
            word = normal(raw)
        else:
            word = <object> found
        words[k] = word
    return words


def tokenize(str text not None, Py_ssize_t start, Py_ssize_t end, dict forms not None,
             object normal):
    """``normalize._tokenize``: the normalized words of ``text[start:end]`` and their
    offsets. ``forms`` is the cache of normal forms, ``normal`` fills it for a raw token
    it lacks (``normalize._normal``)."""
    cdef int64_t* buf = NULL
    cdef Py_ssize_t count = _scan(text, start, end, &buf), k
    cdef int32_t[:, ::1] o32
    cdef int64_t[:, ::1] o64
    try:
        words = _words(text, buf, count, forms, normal)
        # One array for both (a typed view costs about a microsecond to take).
        if len(text) < 2**31:
            both = np.empty((2, count), np.int32)
            o32 = both
            for k in range(count):
                o32[0, k] = <int32_t> buf[2 * k]
                o32[1, k] = <int32_t> buf[2 * k + 1]
        else:
            both = np.empty((2, count), np.int64)
            o64 = both
            for k in range(count):
                o64[0, k] = buf[2 * k]
                o64[1, k] = buf[2 * k + 1]
        return words, both[0], both[1]
    finally:
        free(buf)


def words(str text not None, dict forms not None, object normal):
    """``normalize.token_words``: the normalized words of ``text``, no offsets."""
    cdef int64_t* buf = NULL
    cdef Py_ssize_t count = _scan(text, 0, len(text), &buf)
    try:
        return _words(text, buf, count, forms, normal)
    finally:
        free(buf)


cdef uint64_t _MIX1 = 0xFF51AFD7ED558CCDULL
cdef uint64_t _MIX2 = 0xC4CEB9FE1A85EC53ULL
cdef uint64_t _ROT = 0x9E3779B97F4A7C15ULL


cdef inline uint64_t _mix64(uint64_t v) noexcept nogil:
    v ^= v >> 33
    v *= _MIX1
    v ^= v >> 33
    v *= _MIX2
    return v ^ (v >> 33)


def word_hashes(list words not None, dict cache not None, object hash_word, Py_ssize_t cap):
    """``signatures.word_hashes``: each word's hash from ``cache``, ``hash_word`` (xxh3_64
    of its UTF-8) for the ones it lacks, added while the cache holds fewer than ``cap``."""
    cdef Py_ssize_t n = len(words), k
    out = np.empty(n, np.uint64)
    cdef uint64_t[::1] o = out
    cdef object word, value
    cdef PyObject* found
    for k in range(n):
        word = words[k]
        found = PyDict_GetItem(cache, word)
        if found is NULL:
            value = hash_word(word)
            if PyDict_Size(cache) < cap:
                cache[word] = value
        else:
            value = <object> found
        o[k] = value
    return out


def shingle_hashes(const uint64_t[::1] hashes, Py_ssize_t size):
    """``signatures.shingle_hashes``: the rolling hash of every ``size`` consecutive words."""
    if size < 1:
        raise ValueError("size must be at least 1")
    cdef Py_ssize_t count = hashes.shape[0] - size + 1, i, k
    if count <= 0:
        return np.empty(0, np.uint64)
    out = np.empty(count, np.uint64)
    cdef uint64_t[::1] o = out
    cdef uint64_t acc
    with nogil:
        for i in range(count):
            acc = hashes[i]
            for k in range(1, size):
                acc = _mix64(acc * _ROT + hashes[i + k])
            o[i] = acc
    return out


cdef void _check_offsets(const int64_t[::1] offsets, Py_ssize_t n) except *:
    # The kernels trust the offsets: a bad one would read outside the shingles.
    cdef Py_ssize_t k
    if offsets.shape[0] == 0:
        raise ValueError("offsets must hold at least one value")
    if offsets[0] < 0 or offsets[offsets.shape[0] - 1] > n:
        raise ValueError("offsets outside the shingles")
    for k in range(offsets.shape[0] - 1):
        if offsets[k + 1] < offsets[k]:
            raise ValueError("offsets must not decrease")


cdef inline void _fill_max(uint32_t* out, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t p
    for p in range(n):
        out[p] = 0xFFFFFFFFU


def batch_signatures(const uint64_t[::1] shingles, const int64_t[::1] offsets,
                     const uint32_t[::1] a, const uint32_t[::1] b):
    """``MinHasher.batch_signatures``: the signature of each ``shingles[offsets[k]:
    offsets[k + 1]]`` as a row (all 2**32 - 1 for an empty one)."""
    _check_offsets(offsets, shingles.shape[0])
    if b.shape[0] != a.shape[0]:
        raise ValueError("a and b differ in length")
    cdef Py_ssize_t articles = offsets.shape[0] - 1, perms = a.shape[0], k
    out = np.empty((max(articles, 0), perms), np.uint32)
    cdef uint32_t[:, ::1] o = out
    with nogil:
        for k in range(articles):
            _fill_max(&o[k, 0], perms)
            if offsets[k + 1] > offsets[k]:
                _minima(&shingles[offsets[k]], offsets[k + 1] - offsets[k], &a[0], &b[0],
                        perms, &o[k, 0])
    return out


def batch_passage_signatures(const uint64_t[::1] shingles, const int64_t[::1] offsets,
                             const uint32_t[::1] a, const uint32_t[::1] b,
                             Py_ssize_t window, Py_ssize_t stride):
    """``MinHasher.batch_passage_signatures``: every article's passage rows (minima of
    ``window // stride`` consecutive per-stride blocks; one row over all of an article up
    to a window long), and how many rows each article has."""
    _check_offsets(offsets, shingles.shape[0])
    if b.shape[0] != a.shape[0] or stride < 1 or window < 0:
        raise ValueError("a and b differ in length, or stride < 1, or window < 0")
    cdef Py_ssize_t articles = offsets.shape[0] - 1, perms = a.shape[0]
    cdef Py_ssize_t per_window = max(1, window // stride)
    cdef Py_ssize_t k, n, blocks, r, j, total = 0, row = 0, lo, hi, p
    rows = np.zeros(max(articles, 0), np.int64)
    cdef int64_t[::1] rw = rows
    for k in range(articles):
        n = offsets[k + 1] - offsets[k]
        blocks = (n + stride - 1) // stride
        if n == 0:
            rw[k] = 0
        elif n <= window:
            rw[k] = 1
        else:
            rw[k] = max(1, blocks - per_window + 1)
        total += rw[k]
    out = np.empty((total, perms), np.uint32)
    cdef uint32_t[:, ::1] o = out
    cdef uint32_t* block_min = <uint32_t*> malloc(max(perms, 1) * sizeof(uint32_t))
    if block_min == NULL:
        raise MemoryError()
    try:
        with nogil:
            for k in range(articles):
                n = offsets[k + 1] - offsets[k]
                if n == 0:
                    continue
                if n <= window:
                    _fill_max(&o[row, 0], perms)
                    _minima(&shingles[offsets[k]], n, &a[0], &b[0], perms, &o[row, 0])
                    row += 1
                    continue
                blocks = (n + stride - 1) // stride
                for r in range(rw[k]):
                    _fill_max(&o[row + r, 0], perms)
                # Each block's minima go into every row that spans it: rows
                # max(0, j - per_window + 1) .. min(j, rows - 1).
                for j in range(blocks):
                    lo = j * stride
                    hi = min(n, lo + stride)
                    _fill_max(block_min, perms)
                    _minima(&shingles[offsets[k] + lo], hi - lo, &a[0], &b[0], perms,
                            block_min)
                    for r in range(max(0, j - per_window + 1), min(j, rw[k] - 1) + 1):
                        for p in range(perms):
                            if block_min[p] < o[row + r, p]:
                                o[row + r, p] = block_min[p]
                row += rw[k]
    finally:
        free(block_min)
    return out, rows


def band_hashes(const uint32_t[:, :] signatures, Py_ssize_t bands, Py_ssize_t rows):
    """``candidates.band_hashes``: (n, bands) uint64 hashes of each band of each row."""
    if bands < 0 or rows < 0 or bands * rows > signatures.shape[1]:
        raise ValueError("bands * rows exceeds the signature length")
    cdef Py_ssize_t n = signatures.shape[0], i, band, k
    out = np.empty((n, bands), np.uint64)
    cdef uint64_t[:, ::1] o = out
    cdef uint64_t acc
    with nogil:
        for i in range(n):
            for band in range(bands):
                acc = 0
                for k in range(rows):
                    acc = (acc ^ <uint64_t> signatures[i, band * rows + k]) * 0x100000001B3ULL
                    acc ^= acc >> 29
                o[i, band] = acc
    return out


def word_ids(list words not None, dict index not None):
    """Each word's number in ``index`` (words in order of first occurrence; new words
    are added with the next number), as uint32."""
    cdef Py_ssize_t n = len(words), k
    out = np.empty(n, np.uint32)
    cdef uint32_t[::1] o = out
    cdef object word
    cdef PyObject* found
    for k in range(n):
        word = words[k]
        found = PyDict_GetItem(index, word)
        if found is NULL:
            o[k] = PyDict_Size(index)
            index[word] = o[k]
        else:
            o[k] = <object> found
    return out


cdef bint _has_decimal(str word):
    cdef int kind = PyUnicode_KIND(word)
    cdef void* data = PyUnicode_DATA(word)
    cdef Py_ssize_t i, n = len(word)
    for i in range(n):
        if Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i)):
            return True
    return False


def figures(str text not None, list words not None, const int32_t[::1] starts,
            const int32_t[::1] ends):
    """``signatures.figure_hashes`` before hashing: the figures as written, each a digit
    token or digit tokens joined by one of ``.,/-`` right between them. A word holds a
    digit and is not all letters exactly when it holds a decimal digit (Nd is no letter)."""
    cdef Py_ssize_t n = len(words), k, prev = -2
    cdef list out = []
    cdef str word
    cdef Py_UCS4 glue
    for k in range(n):
        word = words[k]
        if not _has_decimal(word):
            continue
        if prev == k - 1 and starts[k] == ends[prev] + 1:
            glue = text[starts[k] - 1]
            if glue == u'.' or glue == u',' or glue == u'/' or glue == u'-':
                out[len(out) - 1] = out[len(out) - 1] + glue + word
                prev = k
                continue
        out.append(word)
        prev = k
    return out


def may_be_chrome(str block_text not None, tuple anywhere not None, tuple pairs not None, tuple with_digit not None,
                  tuple line_starts not None):
    """``boilerplate.may_be_chrome`` given its tables: False only where none of the
    substrings CHROME_RE needs is in the lowercased block."""
    if not block_text.isascii():
        return True
    cdef str lowered = block_text.lower()
    cdef str h, a, b, line, start
    for h in anywhere:
        if h in lowered:
            return True
    for a, b in pairs:
        if a in lowered and b in lowered:
            return True
    cdef int kind = PyUnicode_KIND(lowered)
    cdef void* data = PyUnicode_DATA(lowered)
    cdef Py_ssize_t i, n = len(lowered)
    cdef Py_UCS4 c
    cdef bint digits = False
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if 0x30 <= c <= 0x39:
            digits = True
            break
    if digits:
        for h in with_digit:
            if h in lowered:
                return True
    for line in lowered.split("\n"):
        start = line.lstrip()
        if start.startswith(line_starts):
            return True
        # A star rating ("4.5/5 - 12") is a line of a number, a slash and numbers.
        if len(start) and 0x30 <= <Py_UCS4> start[0] <= 0x39 and "/" in start:
            return True
    return False


def take(list items not None, const int64_t[::1] at):
    """``[items[i] for i in at]`` (each ``i`` a valid index)."""
    cdef Py_ssize_t n = at.shape[0], k
    cdef list out = [None] * n
    for k in range(n):
        out[k] = items[at[k]]
    return out


cdef inline bint _opens(Py_UCS4 c) noexcept nogil:
    return c == 0x201C or c == 0x201E or c == 0xAB or c == 0x2039  # “„«‹


cdef inline bint _closes(Py_UCS4 c) noexcept nogil:
    return c == 0x201D or c == 0xBB or c == 0x203A  # ”»›


def quote_spans(str text not None):
    """``normalize.quote_spans``: ``[start, end)`` of each quotation. A line break ends an
    open quote where its regex's ``\\n\\s*\\n|\\n[ \\t]+`` matches; each line break is
    tested on its own, which is the same (what a match spans is white space, and after a
    break no quote is open)."""
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text), i, j, open_at = -1
    cdef list spans = []
    cdef Py_UCS4 c, d
    cdef bint brk
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c == 0x0A:
            brk = False
            j = i + 1
            while j < n:
                d = PyUnicode_READ(kind, data, j)
                if not Py_UNICODE_ISSPACE(d):
                    break
                if d == 0x0A:
                    brk = True
                    break
                j += 1
            if not brk and i + 1 < n:
                d = PyUnicode_READ(kind, data, i + 1)
                brk = d == 0x20 or d == 0x09
            if brk:
                if open_at >= 0:
                    spans.append((open_at, i))
                open_at = -1
        elif c == 0x22 or _opens(c) or _closes(c):
            if open_at < 0:
                if c == 0x22 or _opens(c):
                    open_at = i
            elif c == 0x22 or _closes(c):
                spans.append((open_at, i + 1))
                open_at = -1
    if open_at >= 0:
        spans.append((open_at, n))
    return spans


def any_in(tuple needles not None, str haystack not None):
    """``any(n in haystack for n in needles)``."""
    cdef str needle
    for needle in needles:
        if needle in haystack:
            return True
    return False


def word_counts(list texts not None):
    """``len(t.split())`` of each text: runs of characters other than white space
    (str.split's Py_UNICODE_ISSPACE)."""
    cdef Py_ssize_t m = len(texts), k, i, n, count
    cdef list out = [0] * m
    cdef str text
    cdef int kind
    cdef void* data
    cdef bint space
    for k in range(m):
        text = texts[k]
        kind = PyUnicode_KIND(text)
        data = PyUnicode_DATA(text)
        n = len(text)
        count = 0
        space = True
        for i in range(n):
            if Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)):
                space = True
            elif space:
                count += 1
                space = False
        out[k] = count
    return out


def is_timestamp(str text not None, frozenset date_words not None, Py_ssize_t most):
    """``boilerplate._is_timestamp``: up to ``most`` tokens, each all digits or one of
    ``date_words`` (lowercased), one of them digits."""
    cdef int64_t* buf = NULL
    cdef Py_ssize_t count = _scan(text, 0, len(text), &buf), k
    cdef bint has_date = False
    cdef str word
    try:
        if count == 0 or count > most:
            return False
        for k in range(count):
            word = PyUnicode_Substring(text, buf[2 * k], buf[2 * k + 1]).lower()
            if word.isdigit():
                has_date = True
            elif word not in date_words:
                return False
        return has_date
    finally:
        free(buf)


cdef bint _continues(str prev_line, str line, tuple terminal):
    # normalize._continues
    cdef str prev = prev_line.rstrip()
    cdef Py_UCS4 c = line[0]
    if c == u' ' or c == u'\t':  # indented: a new wire paragraph
        return False
    cdef str first = line.lstrip()[:1]
    if first.islower():
        return True
    if prev.endswith(terminal):
        return False
    return (len(prev) >= 45 and not first.isupper()) or len(prev) >= 55


def block_bounds(str text not None, bint wrapped, tuple terminal not None):
    """``normalize.blocks`` as (start, end) pairs, given ``is_hard_wrapped(text)`` and
    ``_TERMINAL``: lines are what ``[^\\n]*\\n?`` matches."""
    cdef list result = []
    cdef Py_ssize_t n = len(text), pos = 0, nl, cur_start = -1, cur_end = -1
    cdef Py_ssize_t start, end, raw_end
    cdef str line, stripped, prev_line = ""
    while pos < n:
        nl = text.find("\n", pos)
        raw_end = n if nl < 0 else nl + 1
        line = text[pos:raw_end].rstrip("\r\n")
        stripped = line.strip()
        if not stripped:
            if cur_start >= 0:
                result.append((cur_start, cur_end))
            cur_start = -1
            prev_line = ""
            pos = raw_end
            continue
        start = pos + len(line) - len(line.lstrip())
        end = pos + len(line.rstrip())
        if cur_start >= 0 and wrapped and _continues(prev_line, line, terminal):
            cur_end = end
        else:
            if cur_start >= 0:
                result.append((cur_start, cur_end))
            cur_start, cur_end = start, end
        prev_line = line
        pos = raw_end
    if cur_start >= 0:
        result.append((cur_start, cur_end))
    return result


def is_hard_wrapped(str text not None):
    """``normalize.is_hard_wrapped``: three or more non-blank lines (str.splitlines), at
    most one in twenty of them longer than 100 characters."""
    cdef Py_ssize_t lines = 0, long_lines = 0
    cdef str line
    for line in text.splitlines():
        if line.strip():
            lines += 1
            if len(line.rstrip()) > 100:
                long_lines += 1
    return lines >= 3 and long_lines <= lines // 20


def inside_spans(const int32_t[::1] starts, const int32_t[::1] ends,
                 const int64_t[:, ::1] bounds):
    """Positions of the tokens ``[starts[k], ends[k])`` that lie inside one of ``bounds``
    (sorted, disjoint ``[start, end)`` rows), or None if every token does
    (``signatures.content_tokens``'s selection: a token's block is the last one that
    starts at or before it)."""
    cdef Py_ssize_t n = starts.shape[0], m = bounds.shape[0], k, b = -1, kept = 0
    keep = np.empty(n, np.int64)
    cdef int64_t[::1] o = keep
    for k in range(n):
        while b + 1 < m and bounds[b + 1, 0] <= starts[k]:
            b += 1
        if b >= 0 and ends[k] <= bounds[b, 1]:
            o[kept] = k
            kept += 1
    if kept == n:
        return None
    return keep[:kept]


def quoted(str text not None, const int32_t[::1] starts):
    """``normalize.quoted_mask``: whether each token start lies inside a quotation (the
    last one that opens at or before it, ``quote_spans``)."""
    cdef Py_ssize_t n = starts.shape[0], k, s = -1, m
    out = np.zeros(n, bool)
    if n == 0:
        return out
    cdef list spans = quote_spans(text)
    m = len(spans)
    if m == 0:
        return out
    cdef int64_t* opens = <int64_t*> malloc(m * 2 * sizeof(int64_t))
    if opens == NULL:
        raise MemoryError()
    cdef unsigned char[::1] o = out.view(np.uint8)
    try:
        for k in range(m):
            opens[2 * k] = spans[k][0]
            opens[2 * k + 1] = spans[k][1]
        for k in range(n):
            while s + 1 < m and opens[2 * (s + 1)] <= starts[k]:
                s += 1
            if s >= 0 and starts[k] < opens[2 * s + 1]:
                o[k] = 1
    finally:
        free(opens)
    return out


def batch_shingles(const uint64_t[::1] hashes, const int64_t[::1] word_ends, Py_ssize_t size):
    """``signatures.batch_shingle_hashes`` of the word hashes of each article, the articles'
    words one after another in ``hashes`` (article k's end at ``word_ends[k]``): all their
    shingles, and where each article's begin (``offsets[k]:offsets[k + 1]``)."""
    if size < 1:
        raise ValueError("size must be at least 1")
    cdef Py_ssize_t articles = word_ends.shape[0], k, i, j, lo = 0, total = 0, at = 0
    for k in range(articles):
        if word_ends[k] < lo or word_ends[k] > hashes.shape[0]:
            raise ValueError("word_ends outside the hashes or decreasing")
        total += max(0, word_ends[k] - lo - size + 1)
        lo = word_ends[k]
    out = np.empty(total, np.uint64)
    offsets = np.zeros(articles + 1, np.int64)
    cdef uint64_t[::1] o = out
    cdef int64_t[::1] off = offsets
    cdef uint64_t acc
    lo = 0
    with nogil:
        for k in range(articles):
            for i in range(lo, word_ends[k] - size + 1):
                acc = hashes[i]
                for j in range(1, size):
                    acc = _mix64(acc * _ROT + hashes[i + j])
                o[at] = acc
                at += 1
            off[k + 1] = at
            lo = word_ends[k]
    return out, offsets


def chrome_flags(list texts not None, list counts not None, dict rules not None):
    """``boilerplate._looks_like_chrome`` of each block text and its word count; ``rules``
    holds that module's regexes, tables and thresholds by name."""
    chrome_search = rules["chrome"].search
    sentence_search = rules["sentence_chrome"].search
    cdef tuple sentence_end = rules["sentence_end"], hints = rules["hints"]
    cdef tuple anywhere = rules["anywhere"], pairs = rules["pairs"]
    cdef tuple with_digit = rules["with_digit"], line_starts = rules["line_starts"]
    cdef frozenset date_words = rules["date_words"]
    cdef Py_ssize_t prose_words = rules["prose_words"], short_words = rules["short_words"]
    cdef Py_ssize_t timestamp_words = rules["timestamp_words"]
    cdef Py_ssize_t m = len(texts), k, words
    cdef list out = [False] * m
    cdef str text
    cdef bint ends_sentence
    for k in range(m):
        text = texts[k]
        words = counts[k]
        if words == 0:  # punctuation or symbols only
            out[k] = True
            continue
        ends_sentence = text.rstrip().endswith(sentence_end)
        if words <= 40:
            if words >= prose_words and ends_sentence:
                if any_in(hints, text.lower()) and sentence_search(text) is not None:
                    out[k] = True
                    continue
            elif may_be_chrome(text, anywhere, pairs, with_digit, line_starts) \
                    and chrome_search(text) is not None:
                out[k] = True
                continue
        if words <= 14 and is_timestamp(text, date_words, timestamp_words):
            out[k] = True
            continue
        out[k] = words < short_words and not ends_sentence
    return out
