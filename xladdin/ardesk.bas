Attribute VB_Name = "ardesk"
' The AR Desk ribbon's one callback: every button of customUI14.xml calls OnRibbonButton with itself.
'
' It hands the button's id to ardesk's Python entry point through xlwings' RunPython, which runs it against
' the active workbook. The status bar shows what is running (the button's tag) until Python is done; Python
' reports its own progress there, and a problem it can explain ends in a message box with that one sentence.
Option Explicit

Public Sub OnRibbonButton(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open an AR Desk workbook first, then press the button again.", vbInformation, "AR Desk"
        Exit Sub
    End If
    On Error GoTo Failed
    Application.StatusBar = "AR Desk: " & control.Tag & "..."
    RunPython "import ardesk.excel.ribbon; ardesk.excel.ribbon.run('" & control.Id & "')"
    Application.StatusBar = False
    Exit Sub
Failed:
    Application.StatusBar = False
    MsgBox "AR Desk could not start Python (" & Err.Description & "): check the interpreter in ardesk.conf.", _
           vbExclamation, "AR Desk"
End Sub
