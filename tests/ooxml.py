"""Validate every XML part of an Office file against the ECMA-376 schemas, chosen by the part's namespace.

The schemas live in the shared schemas folder (/work/shared/schemas next to the repository, or the folder
named by ARDESK_SCHEMAS). A part whose root namespace has no schema here counts as a failure, so nothing
in a package goes unchecked.

The OPC core-properties schema imports the Dublin Core schemas by URL from dublincore.org and the xml:
namespace without any location; neither is in the schemas folder and tests run offline, so `_OFFLINE`
stands in for them: the element names of the two Dublin Core namespaces, the W3CDTF date type Office uses
for created/modified, and the xml:lang attribute, as the published files declare them.
"""
import functools
import os
import zipfile
from pathlib import Path

from lxml import etree


def schemas_dir() -> Path:
    """The shared schemas folder: $ARDESK_SCHEMAS, else ../shared/schemas beside the repository."""
    return Path(os.environ.get("ARDESK_SCHEMAS") or Path(__file__).resolve().parents[2] / "shared" / "schemas")


SCHEMA_BY_NAMESPACE = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": "ooxml/sml.xsd",
    "http://schemas.openxmlformats.org/package/2006/content-types": "ooxml/opc-xsd/opc-contentTypes.xsd",
    "http://schemas.openxmlformats.org/package/2006/relationships": "ooxml/opc-xsd/opc-relationships.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": "ooxml/opc-xsd/opc-coreProperties.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties":
        "ooxml/shared-documentPropertiesExtended.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "ooxml/dml-chart.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing": "ooxml/dml-spreadsheetDrawing.xsd",
}

_DC = "http://purl.org/dc/elements/1.1/"
_XML = "http://www.w3.org/XML/1998/namespace"
_XML_LOCATION = "offline:xml.xsd"
_OFFLINE = {
    _XML_LOCATION: f"""
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{_XML}">
  <xs:attribute name="lang" type="xs:language"/>
</xs:schema>""",
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd": f"""
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{_DC}" xmlns="{_DC}"
    elementFormDefault="qualified">
  <xs:import namespace="{_XML}" schemaLocation="{_XML_LOCATION}"/>
  <xs:complexType name="SimpleLiteral">
    <xs:complexContent mixed="true"><xs:restriction base="xs:anyType">
      <xs:sequence><xs:any processContents="lax" minOccurs="0" maxOccurs="0"/></xs:sequence>
      <xs:attribute ref="xml:lang" use="optional"/>
    </xs:restriction></xs:complexContent>
  </xs:complexType>
  <xs:element name="any" type="SimpleLiteral" abstract="true"/>
  {"".join(f'<xs:element name="{n}" substitutionGroup="any"/>' for n in (
      "title", "creator", "subject", "description", "publisher", "contributor", "date", "type", "format",
      "identifier", "source", "language", "relation", "coverage", "rights"))}
</xs:schema>""",
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dcterms.xsd": f"""
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://purl.org/dc/terms/"
    xmlns:dc="{_DC}" elementFormDefault="qualified">
  <xs:import namespace="{_DC}" schemaLocation="http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd"/>
  <xs:element name="created" substitutionGroup="dc:date"/>
  <xs:element name="modified" substitutionGroup="dc:date"/>
  <xs:complexType name="W3CDTF">
    <xs:simpleContent><xs:restriction base="dc:SimpleLiteral">
      <xs:simpleType><xs:union memberTypes="xs:gYear xs:gYearMonth xs:date xs:dateTime"/></xs:simpleType>
    </xs:restriction></xs:simpleContent>
  </xs:complexType>
</xs:schema>""",
}


class _Offline(etree.Resolver):
    def resolve(self, url, public_id, context):
        text = _OFFLINE.get(url)
        return self.resolve_string(text, context) if text is not None else None


@functools.cache
def schema(relative: str) -> etree.XMLSchema:
    """The compiled schema at `relative` inside the schemas folder (imports of the xml: namespace pointed at
    the offline stand-in)."""
    parser = etree.XMLParser()
    parser.resolvers.add(_Offline())
    document = etree.parse(str(schemas_dir() / relative), parser)
    for imported in document.getroot().iterfind("{http://www.w3.org/2001/XMLSchema}import"):
        if imported.get("namespace") == _XML and not imported.get("schemaLocation"):
            imported.set("schemaLocation", _XML_LOCATION)
    return etree.XMLSchema(document)


def validation_errors(package: str | Path) -> dict[str, list[str]]:
    """Part name -> schema errors (or why it could not be checked), for every failing part of `package`."""
    failures = {}
    with zipfile.ZipFile(package) as archive:
        for name in archive.namelist():
            try:
                root = etree.fromstring(archive.read(name))
            except etree.XMLSyntaxError as error:
                failures[name] = [f"not well-formed XML: {error}"]
                continue
            namespace = etree.QName(root).namespace
            if namespace not in SCHEMA_BY_NAMESPACE:
                failures[name] = [f"no schema for namespace {namespace!r}"]
                continue
            checker = schema(SCHEMA_BY_NAMESPACE[namespace])
            if not checker.validate(root):
                failures[name] = [f"line {e.line}: {e.message}" for e in checker.error_log]
    return failures
