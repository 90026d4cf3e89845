# Saksiden, slik saksbehandlere og revisorer ser den.

diagram-title = Livsløpet til en sak; denne saken er { $state }
diagram-this-case-is = Denne saken er
diagram-no-way-on = Ingen handling fører den videre herfra.
diagram-ways-out = Herfra kan den gå til:
diagram-sweeping = En sak kan trekkes, eller ende i uttransportering, fra enhver tilstand før utreise; en innvilgelse kan tilbakekalles, og bortfalle, fram til utreise. Disse veiene tegnes bare fra sakens egen tilstand.
