"""Small HIS-MINSA exports written in the real layouts (HIS.md §2, §4): tramas of 48 or 40 columns, MaestroPaciente
with the export's or the database's names, the facility and centro poblado masters — as CSVs or as the ZIPs MINSA
hands out, in UTF-8 (with or without BOM) or Windows-1252. Every value is invented."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# The headers as exported: one list, shared with the demo's writer (its test holds them to ../shared/data/his).
from etl.demo.his_headers import CENTRO_POBLADO, PACIENTE, PADRON, PERSONAL
from etl.demo.his_headers import TRAMA as TRAMA_48

TRAMA_40 = TRAMA_48[:40]
# The database naming variant (IntelHIS, OGEI), same positions.
PACIENTE_BD = [
    {
        "Id_Tipo_Documento": "Id_Tipo_Documento_Paciente",
        "Numero_Documento": "Numero_Documento_Paciente",
        "Fecha_Nacimiento": "Fecha_Nacimiento_Paciente",
        "Genero": "Id_Genero",
    }.get(h, h)
    for h in PACIENTE
]
ESTABLECIMIENTO = [
    "Id_Establecimiento",
    "Nombre_Establecimiento",
    "Ubigueo_Establecimiento",
    "Codigo_Disa",
    "Disa",
    "Codigo_Red",
    "Red",
    "Codigo_MicroRed",
    "MicroRed",
    "Codigo_Unico",
    "Codigo_Sector",
    "Descripcion_Sector",
    "Departamento",
    "Provincia",
    "Distrito",
    "Categoria_Establecimiento",
]

# Two facilities: HIS internal ids 501 and 502, RENIPRESS codes 12345 and 23456 (never equal to the HIS id).
FACILITIES = {
    "501": ("000012345", "090118", "C.S. PRUEBA ASCENSIÓN"),
    "502": ("000023456", "090103", "P.S. PRUEBA ACORIA"),
    "503": ("000034567", "090799", "P.S. PRUEBA SIN CENTRO POBLADO"),  # no centro poblado in its district
}
# Centros poblados: 0901180001 (3,720 m) in Ascensión; Acoria (090103) has one at 3,150 m with code 0007.
CENTROS = {"0901180001": ("0001", "090118", "3720.00"), "0901030007": ("0007", "090103", "3150.00")}
# Names and addresses that must never appear in any output.
SECRET_WORDS = ("ÑAHUINCOPA", "QUISPEÑA", "JR LOS ÁLAMOS 123", "FRENTE AL MERCADO")


@dataclass
class Item:
    code: str
    dx: str = "D"
    lab: str = ""


@dataclass
class Attention:
    cita: str
    day: dt.date
    facility: str  # HIS Id_Establecimiento
    patient: str  # Id_Paciente
    items: list[Item]
    hb: str = ""
    hb_on_all_rows: bool = (
        True  # False: only the first row carries Hemoglobina (the cita's value is still known)
    )
    centro: str = ""
    edad: tuple[str, str] = ("5", "M")  # Edad_Reg, Tipo_Edad as registered (never used for ages)


@dataclass
class Patient:
    id: str
    doc_type: str
    doc: str
    born: dt.date
    sex: str = "F"
    facility: str = "501"


@dataclass
class Child:
    """A child of the Padrón Nominal: DNI and/or CNV, birth date, district of residence."""

    dni: str
    cnv: str
    born: dt.date
    ubigeo: str = "090118"


@dataclass
class HisExport:
    patients: list[Patient] = field(default_factory=list)
    attentions: list[Attention] = field(default_factory=list)
    padron: list[Child] = field(default_factory=list)
    _cita: int = 800000000

    def patient(
        self, pid: str, doc: str, born: dt.date, doc_type: str = "1", facility: str = "501"
    ) -> Patient:
        p = Patient(pid, doc_type, doc, born, facility=facility)
        self.patients.append(p)
        return p

    def attend(self, p: Patient | str, day: dt.date, *codes: str | Item, facility: str | None = None, **kw):
        self._cita += 1
        items = [c if isinstance(c, Item) else Item(c) for c in codes]
        pid = p.id if isinstance(p, Patient) else p
        fac = facility or (p.facility if isinstance(p, Patient) else "501")
        self.attentions.append(Attention(str(self._cita), day, fac, pid, items, **kw))

    # ---- writing -------------------------------------------------------------------------------------------
    def trama_rows(self, month: tuple[int, int]) -> list[dict[str, str]]:
        rows = []
        for a in self.attentions:
            if (a.day.year, a.day.month) != month:
                continue
            group = a.patient.startswith("A")
            for k, it in enumerate(a.items, start=1):
                rows.append(
                    {
                        "Id_Cita": a.cita,
                        "Anio": str(a.day.year),
                        "Mes": str(a.day.month),
                        "Dia": str(a.day.day),
                        "Fecha_Atencion": a.day.isoformat(),
                        "Lote": "ACT" if group else "N5",
                        "Num_Pag": "1",
                        "Num_Reg": "1",
                        "Id_Ups": "301202",
                        "Id_Establecimiento": a.facility,
                        "Id_Paciente": a.patient,
                        "Id_Personal": "5101" + a.facility,
                        "Id_Registrador": "88001",
                        "Id_Financiador": "" if group else "2",
                        "Id_Condicion_Establecimiento": "" if group else "C",
                        "Id_Condicion_Servicio": "" if group else "C",
                        "Edad_Reg": "" if group else a.edad[0],
                        "Tipo_Edad": "" if group else a.edad[1],
                        "Id_Turno": "M",
                        "Codigo_Item": it.code,
                        "Tipo_Diagnostico": it.dx,
                        "Valor_Lab": it.lab,
                        "Id_Correlativo": str(k),
                        "Id_Correlativo_Lab": "1",
                        "Peso": "7.05",
                        "Talla": "63.70",
                        "Hemoglobina": a.hb if (a.hb_on_all_rows or k == 1) else "",
                        "Id_Centro_Poblado": a.centro,
                        "Fecha_Registro": f"{a.day.isoformat()} 10:02:00",
                        "Id_Pais": "" if group else "PER",
                        "renipress": FACILITIES.get(a.facility, ("",))[0],
                        "Id_AplicacionOrigen": "1",
                    }
                )
        return rows

    def months(self) -> list[tuple[int, int]]:
        return sorted({(a.day.year, a.day.month) for a in self.attentions})

    def write(
        self,
        folder: Path,
        width: int = 48,
        encoding: str = "utf-8",
        zipped: bool = False,
        paciente_bd: bool = False,
        upper_headers: bool = False,
        centros: bool = True,
    ) -> Path:
        """The export as downloaded: one CSV per trama month and per master, each in its own ZIP if ``zipped``."""
        folder.mkdir(parents=True, exist_ok=True)
        header = TRAMA_48 if width == 48 else TRAMA_40
        if upper_headers:  # header drift: other case, Id_Correlativo_Item
            header = [h.upper().replace("ID_CORRELATIVO", "ID_CORRELATIVO_ITEM", 1) for h in header]
            header = [h.replace("ID_CORRELATIVO_ITEM_LAB", "ID_CORRELATIVO_LAB") for h in header]
        files: dict[str, tuple[list[str], list[list[str]]]] = {}
        for y, m in self.months():
            rows = self.trama_rows((y, m))
            files[f"NominalTramaNuevo_{y}_{m}.csv"] = (
                header,
                [[r.get(h, "") for h in TRAMA_48[: len(header)]] for r in rows],
            )
        files["MaestroPaciente.csv"] = (
            PACIENTE_BD if paciente_bd else PACIENTE,
            [
                [
                    p.id, p.doc_type, p.doc, "QUISPEÑA", "ÑAHUINCOPA", "LUZ MARÍA", p.born.isoformat(), p.sex, "58",
                    "1200", "FF1", "090118", "", "JR LOS ÁLAMOS 123", "090118", "JR LOS ÁLAMOS 123",
                    "FRENTE AL MERCADO", "PER", p.facility, f"{p.born.isoformat()} 09:15:00", "",
                ]
                for p in self.patients
            ],
        )  # fmt: skip
        files["MAESTRO_HIS_ESTABLECIMIENTO.csv"] = (
            ESTABLECIMIENTO,
            [
                [fid, name, ubigeo, "13", "HUANCAVELICA", "01", "HUANCAVELICA", "01", "ASCENSION    ", code, "7",
                 "GOBIERNO REGIONAL", "HUANCAVELICA", "HUANCAVELICA", "ACORIA", "I-2"]
                for fid, (code, ubigeo, name) in FACILITIES.items()
            ],
        )  # fmt: skip
        if centros:
            files["MAESTRO_HIS_CENTRO_POBLADO.csv"] = (
                CENTRO_POBLADO,
                [[cid, "CP PRUEBA", code, ub, alt] for cid, (code, ub, alt) in CENTROS.items()],
            )
        files["MaestroPersonal.csv"] = (
            PERSONAL,
            [["5101501", "1", "40000001", "QUISPEÑA", "ÑAHUINCOPA", "ANA", "1985-03-10", "1", "29", "06", "7", "501",
              "2023-01-02 00:00:00", ""]],
        )  # fmt: skip
        if self.padron:
            files["PadronNominal_extracto.csv"] = (
                PADRON,
                [
                    [str(99000000 + k), c.dni, c.cnv, "", '"1,3"' if c.dni else '"3"', "QUISPEÑA", "ÑAHUINCOPA",
                     "LUZ MARÍA", "2", "FEMENINO", c.born.strftime("%d/%m/%Y"), c.ubigeo, c.ubigeo + "0001",
                     "00012345", "00012345", "00012345", "1", "1"]
                    for k, c in enumerate(self.padron)
                ],
            )  # fmt: skip
        for k, (name, (head, rows)) in enumerate(files.items()):
            text = "\n".join(",".join(r) for r in [head, *rows]) + "\n"
            data = text.encode("utf-8-sig" if encoding == "utf-8-sig" else encoding)
            if zipped:
                stem = name.removesuffix(".csv").split("_20")[0].replace("NominalTramaNuevo", "NominalTrama")
                with zipfile.ZipFile(folder / f"{stem}{1120000 + k}.zip", "w", zipfile.ZIP_DEFLATED) as z:
                    z.writestr(name, data)
            else:
                (folder / name).write_bytes(data)
        return folder
