"""Check an Office package as Excel's own toolkit would, with nothing from outside the repository.

Every part inside the package goes through openxml-audit (a test dependency: an MIT-licensed pure-Python port of
the Open XML SDK's validator, schema and semantic checks, e.g. the relationships a workbook must have). It reads
the package's own OPC parts but checks none of them against a schema ([Content_Types].xml, the .rels parts,
docProps/core.xml: a bogus element or a date "yesterday" passes), so those go through the OPC schemas of
ECMA-376 Part 2, shipped in tests/schemas/opc. An XML part whose root element neither knows is a failure, so
nothing in a package goes unchecked. Binary parts (the add-in's VBA project) get openxml-audit's check of
their format; test_addin_ovba/test_addin_cfb read them whole.

The core-properties schema imports the Dublin Core schemas by URL from dublincore.org and the xml: namespace
without any location; tests run offline, so `_OFFLINE` stands in for them: the element names of the two Dublin
Core namespaces, the W3CDTF date type Office uses for created/modified, and the xml:lang attribute, as the
published files declare them.
"""
import functools
import zipfile
from pathlib import Path

from lxml import etree
from openxml_audit import OpenXmlValidator
from openxml_audit.schema.validator import get_constraint_for_tag

OPC_SCHEMAS = Path(__file__).parent / "schemas" / "opc"
OPC_SCHEMA_BY_NAMESPACE = {
    "http://schemas.openxmlformats.org/package/2006/content-types": "opc-contentTypes.xsd",
    "http://schemas.openxmlformats.org/package/2006/relationships": "opc-relationships.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": "opc-coreProperties.xsd",
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
def _opc_schema(namespace: str) -> etree.XMLSchema:
    """The compiled OPC schema of `namespace` (imports of the xml: namespace pointed at the offline stand-in)."""
    parser = etree.XMLParser()
    parser.resolvers.add(_Offline())
    document = etree.parse(str(OPC_SCHEMAS / OPC_SCHEMA_BY_NAMESPACE[namespace]), parser)
    for imported in document.getroot().iterfind("{http://www.w3.org/2001/XMLSchema}import"):
        if imported.get("namespace") == _XML and not imported.get("schemaLocation"):
            imported.set("schemaLocation", _XML_LOCATION)
    return etree.XMLSchema(document)


@functools.cache
def _sdk() -> OpenXmlValidator:
    """One validator for the run: it loads the SDK's schema data once (max_errors=0: report them all)."""
    return OpenXmlValidator(max_errors=0)


def _part_errors(root: etree._Element) -> list[str]:
    """The OPC schema's findings for a package part; for any other part, whether openxml-audit knows its root
    element at all (it passes elements it does not know)."""
    namespace = etree.QName(root).namespace
    if namespace in OPC_SCHEMA_BY_NAMESPACE:
        checker = _opc_schema(namespace)
        return [] if checker.validate(root) else [f"line {e.line}: {e.message}" for e in checker.error_log]
    if get_constraint_for_tag(root.tag, root) is None:
        return [f"neither openxml-audit nor the OPC schemas know the root element {root.tag}"]
    return []


def validation_errors(package: str | Path) -> dict[str, list[str]]:
    """Part name -> what is wrong with it, for every failing part of `package` (package-wide findings under
    the name of the part they are reported on)."""
    failures: dict[str, list[str]] = {}
    for error in _sdk().validate(package).errors:
        failures.setdefault(error.part_uri.lstrip("/"), []).append(f"{error.description} ({error.path})")
    with zipfile.ZipFile(package) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            try:
                errors = _part_errors(etree.fromstring(archive.read(name)))
            except etree.XMLSyntaxError as error:
                errors = [f"not well-formed XML: {error}"]
            if errors:
                failures.setdefault(name, []).extend(errors)
    return failures
