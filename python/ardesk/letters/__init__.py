"""Letters to customers: a Word template filled with what ardesk knows (docxtpl), the documents turned into PDFs
in LibreOffice batches (200 letters each, not one run per letter), an e-mail draft (.eml) carrying each, and
optionally the e-mails sent through SMTP.

A kind of letter (a statement of account: statement.py; a dunning letter: dunning.py) is its Fields, its
template and one context per customer; everything else here is shared: addressee.py says who a letter is to,
template.py checks and fills templates, pdf.py converts, eml.py writes drafts, smtp.py sends, batch.py runs the
whole so that nothing is half written.
"""
