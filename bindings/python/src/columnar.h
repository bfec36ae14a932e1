/*
 * libembedsvc Python binding — columnar evaluation for pandas (embedsvc/_frame.py).
 * SPDX-License-Identifier: MIT
 *
 * esv_py_frame_encode() writes the rows of a table (columns of a DataFrame, or a list of dicts)
 * as JSON documents, one per line; esv_py_frame_eval() evaluates JSON Lines with worker threads
 * (pool.h) straight into column buffers: bytearrays of int64 / uint8 / int32 that Python views
 * with numpy.frombuffer, without one Python object per field. Only text that is a value of its
 * own (project id, name, error message and path) becomes a str; district, street, community,
 * build mode and codes come back as category codes with their categories.
 */
#ifndef ESV_PY_COLUMNAR_H
#define ESV_PY_COLUMNAR_H

#include <Python.h>
#include <embedsvc.h>

/**
 * Registers the values that mean "absent" (a tuple: None, pandas.NA, pandas.NaT …), the type
 * written as a JSON boolean besides bool (numpy.bool_) and a callable for other values
 * (value -> a str, int, float, bool, list or dict to write, or raises TypeError). Returns True
 * when object columns may be given as numpy object arrays (built with numpy's headers), False
 * when they must be lists.
 */
PyObject *esv_py_frame_setup(PyObject *absent, PyObject *bool_type, PyObject *fallback);

/**
 * Writes rows as JSON Lines. @p columns is a list of (key, kind, values[, mask]) with kind
 * "i" (values: an int64 buffer), "f" (float64 buffer; NaN absent), "b" (bool buffer) or "o" (a
 * list of objects); an optional mask (bool buffer, True = absent) for "i" and "b". @p rows is the
 * number of rows, or -1 when @p columns is a list of dicts (one row each). When @p functions is
 * not None it is (columns of the functions table as above, order int64 buffer, offsets int64
 * buffer of rows + 1): row r gets `"functions":[…]` with the rows order[offsets[r]:offsets[r+1]].
 * Returns bytes (rows separated by '\n'). Raises TypeError naming the row and column of a value
 * that cannot be written.
 */
PyObject *esv_py_frame_encode(PyObject *columns, long long rows, PyObject *functions);

/**
 * Evaluates the non-blank lines of the JSON Lines buffer @p data (reference §7 line rules) under
 * @p policy with @p workers threads, the GIL released. Returns a dict of column buffers (see
 * _frame.py for the layout) and, when @p findings is true, the long-format findings buffers.
 */
PyObject *esv_py_frame_eval(const embedsvc_policy *policy, PyObject *data, long long first_line, int workers,
                            int findings);

#endif
