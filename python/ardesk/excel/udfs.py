"""The worksheet functions (ardesk.worksheet_functions) registered with xlwings.

The add-in's config sheet names this module under "UDF Modules": xlwings' COM server imports it and calls each
function by its name here. AR_AGING and AR_PROMISE answer with a table that Excel spills from the calling cell.
"""
import xlwings as xw

from ardesk import worksheet_functions as functions

AR_AGING = xw.func(xw.ret(expand="table")(functions.AR_AGING))
AR_BALANCE = xw.func(functions.AR_BALANCE)
AR_DPD = xw.func(functions.AR_DPD)
AR_BUCKET = xw.func(functions.AR_BUCKET)
AR_DSO = xw.func(functions.AR_DSO)
AR_LASTNOTE = xw.func(functions.AR_LASTNOTE)
AR_PROMISE = xw.func(xw.ret(expand="table")(functions.AR_PROMISE))
