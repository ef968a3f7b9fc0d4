"""What a record definition is, once parsed from ``warehouse/catalogue/registros/*.yaml``: frozen objects that the
compiler (:mod:`etl.records.compile`) turns into SQL and the reports describe in one Spanish sentence."""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.catalogue_model import Text


@dataclass(frozen=True, slots=True)
class Adjustment:
    code: str
    name: Text
    formula: str | None  # SQL arithmetic on `altitud` (validated), or
    bands: tuple[tuple[float, float], ...] = ()  # (from metres, g/dL), ascending; nothing below the first

    def sql(self) -> str:
        """The g/dL to subtract at the row's ``altitud`` (DuckDB dialect, like every compiled query)."""
        if self.formula:
            return f"({self.formula})"
        cases = " ".join(f"when altitud >= {lo!r} then {adj!r}" for lo, adj in reversed(self.bands))
        return f"(case {cases} else 0.0 end)"


@dataclass(frozen=True, slots=True)
class Requirement:
    name: str
    codes: tuple[str, ...]
    minimum: int
    age_days: tuple[int, int]  # every attention counted falls in these ages
    spacing_days: int = 0  # each next one at least this many days after the previous
    spacing_max_days: int = 0  # … and at most this many (0: no maximum)
    first_age_days: tuple[int, int] | None = None  # the first one in these ages (None: age_days)
    diagnosis: tuple[str, ...] = ()  # Tipo_Diagnostico accepted (D, P, R); () any
    labs: tuple[str, ...] = ()  # LAB values accepted; () any
    step_spacing: tuple[int, ...] = ()  # a minimum spacing per step (2nd, 3rd…), when they differ
    # Deliveries by window (the iron schemes): the best attention of each window counts its LAB's weight (a LAB
    # not listed weighs 0; without weights each weighs 1); met when the first window has one that weighs and the
    # windows add up to `min_weight`.
    windows: tuple[tuple[int, int], ...] = ()
    lab_weights: tuple[tuple[str, int], ...] = ()
    min_weight: int = 0
    not_with: tuple[str, ...] = ()  # an attention that also carries one of these codes does not count

    def weight_sql(self) -> str:
        """The weight of a row (its ``lab``) as SQL."""
        if not self.lab_weights:
            return "1"
        cases = " ".join(f"when '{lab}' then {w}" for lab, w in self.lab_weights)
        return f"(case lab {cases} else 0 end)"

    def gap(self, step: int) -> int:
        """Minimum days between the attention of ``step`` (1 = the 2nd) and the one before: never the same day."""
        return max(self.step_spacing[step - 1] if self.step_spacing else self.spacing_days, 1)

    def describe(self) -> str:
        if self.windows:
            return self._describe_windows()
        text = f"≥ {self.minimum} {self.name} ({', '.join(self.codes)}) entre los días {self.age_days[0]} y {self.age_days[1]} de edad"
        if self.first_age_days:
            text += f", la primera entre los días {self.first_age_days[0]} y {self.first_age_days[1]}"
        if self.step_spacing:
            text += f", separadas ≥ {', '.join(map(str, self.step_spacing))} días de la anterior"
        if self.spacing_max_days:
            text += f", cada una {self.spacing_days} a {self.spacing_max_days} días después de la anterior"
        elif self.spacing_days and not self.step_spacing:
            text += f", separadas ≥ {self.spacing_days} días"
        if self.diagnosis:
            text += f", tipo de diagnóstico {'/'.join(self.diagnosis)}"
        if self.labs:
            text += f", LAB {'/'.join(self.labs)}"
        return text + self._describe_not_with()

    def _describe_windows(self) -> str:
        spans = ", ".join(f"{lo}–{hi}" for lo, hi in self.windows)
        text = f"{self.name} ({', '.join(self.codes)}): una entrega por ventana de edad ({spans} días), la primera obligatoria"
        if self.lab_weights:
            by_weight: dict[int, list[str]] = {}
            for lab, w in self.lab_weights:
                by_weight.setdefault(w, []).append(lab)
            weights = "; ".join(f"{'/'.join(labs)} pesa {w}" for w, labs in sorted(by_weight.items()))
            text += f"; por LAB, {weights}, otro LAB 0; al menos {self.min_weight} en total"
        else:
            text += f", al menos {self.min_weight} ventanas con entrega"
        if self.diagnosis:
            text += f", tipo de diagnóstico {'/'.join(self.diagnosis)}"
        return text + self._describe_not_with()

    def _describe_not_with(self) -> str:
        if not self.not_with:
            return ""
        return f"; no cuenta la atención que también registra {', '.join(self.not_with)}"


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Children with one of ``codes`` between ``age_days`` leave the denominator (e.g. low birth weight)."""

    name: str
    codes: tuple[str, ...]
    age_days: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Threshold:
    age_months: tuple[int, int]
    below: float


@dataclass(frozen=True, slots=True)
class Definition:
    indicator: str
    kind: str
    codes: tuple[str, ...] = ()  # mes, medicion
    age_months: tuple[int, int] = (0, 0)  # mes, medicion: ages at the attention, inclusive
    cohort_months: int = 0  # cohorte: the age turned in the month
    requirements: tuple[Requirement, ...] = ()
    below: float | None = None  # medicion: numerator when the adjusted value is below this
    valid_range: tuple[float, float] | None = None  # medicion: plausible measured values
    adjustment: Adjustment | None = None
    thresholds: tuple[Threshold, ...] = ()  # medicion: thresholds by age, instead of one `below`
    exclusions: tuple[Exclusion, ...] = ()  # cohorte: children out of the denominator
    source: str = ""  # the norm or script (and version) the definition follows
    denominator: str = (
        "registros"  # cohorte: registros (children attended) or padron (Padrón Nominal, if given)
    )
    unverified: str = ""  # what of it no second source confirms

    @property
    def codes_named(self) -> frozenset[str]:
        """The activity codes the definition names (its numerator's, exclusions' and measurements'). Its
        denominator may still count attentions of any code: children attended, the facility of the last one."""
        named = set(self.codes)
        for r in self.requirements:
            named |= set(r.codes) | set(r.not_with)
        for x in self.exclusions:
            named |= set(x.codes)
        return frozenset(named)

    @property
    def history_months(self) -> int:
        """Months of records before the evaluated month that a complete figure needs."""
        return self.cohort_months if self.kind == "cohorte" else 0

    def describe(self) -> str:
        """The rule in one Spanish sentence, for reports and the README."""
        if self.kind == "cohorte":
            out = (
                f"Niñas y niños que cumplen {self.cohort_months} meses en el mes; numerador: con "
                + "; ".join(r.describe() for r in self.requirements)
            )
            for x in self.exclusions:
                out += f"; fuera del denominador: {x.name} ({', '.join(x.codes)}) entre los días {x.age_days[0]} y {x.age_days[1]}"
            return out
        ages = f"de {self.age_months[0]} a {self.age_months[1]} meses"
        if self.kind == "mes":
            return (
                f"Niñas y niños {ages} atendidos en el mes; numerador: con {', '.join(self.codes)} en el mes"
            )
        assert self.adjustment is not None
        below = (
            ", ".join(
                f"< {t.below:g} de {t.age_months[0]} a {t.age_months[1]} meses" for t in self.thresholds
            )
            if self.thresholds
            else f"< {self.below:g}"
        )
        return (
            f"Niñas y niños {ages} con {', '.join(self.codes)} en el mes (el último); numerador: valor menos el "
            f"ajuste «{self.adjustment.name.es}» {below}"
        )


@dataclass(frozen=True, slots=True)
class Definitions:
    items: tuple[Definition, ...]
    adjustments: dict[str, Adjustment]
    digest: str  # SHA-256 of the definition files: which version computed a figure

    def select(self, codes: list[str] | None) -> tuple[Definition, ...]:
        if not codes:
            return self.items
        known = {d.indicator: d for d in self.items}
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValueError(
                f"--indicador {', '.join(unknown)}: no hay definición desde registros con ese código "
                f"(hay: {', '.join(known)})"
            )
        return tuple(known[c] for c in codes)

    @property
    def measured_codes(self) -> dict[str, tuple[float, float]]:
        """Activity codes whose rows must carry a value (and altitude), with the plausible range."""
        out: dict[str, tuple[float, float]] = {}
        for d in self.items:
            if d.kind == "medicion":
                if d.valid_range is None:  # the parser gives every medición one: a hand-built one may lack it
                    raise ValueError(
                        f"{d.indicator}: una medición necesita valor_valido / needs a valid range"
                    )
                for c in d.codes:
                    out[c] = d.valid_range
        return out
