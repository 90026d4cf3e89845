//! The demo: about fifty cases, each taken along one path of the lifecycle, with invented but
//! realistic applicants (names as they are made in each country, real home towns) and dates,
//! then each agency's queues, the status of every case, the payout ledger and the audit.
//!
//! The story runs on a clock set by hand, and never past the moment the demo runs: no event is
//! decided, and no date recorded, in the future ([`Script::at`] refuses). The older cases are
//! told in 2025 and are over; the recent ones are told backwards from today, so that the queues
//! hold cases that have waited days or weeks, with deadlines overdue, due today and due soon.
//! Each deadline that passed is fired on the day after its last day, by the deadline scheduler
//! as `retur serve` runs it, up to its last pass yesterday: what fell due since is overdue in the
//! queues until a scheduler runs again.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone as _, Utc};
use retur_app::{Caller, CommandRequest, ManualClock};
use retur_domain::command::Payee;
use retur_domain::travel::{
    AirportCode, Booking, DismissalGround, DocumentNumber, FlightNumber, LateAppealGround,
    TravelDocumentKind,
};
use retur_domain::*;
use retur_projections::PayoutLedger;
use strum::VariantArray as _;
use uuid::Uuid;

use crate::{Agency, System};

/// How names are made in a country, for the demo's invented applicants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Naming {
    /// A given name followed by the father's given name (and the grandfather's, when three
    /// names are used): a wife keeps her own names, a child's second name is the father's
    /// given name.
    Patronymic { names: usize },
    /// A given name and a family name, which a wife and the children share.
    Family,
    /// A given name and a family name; a wife keeps her own family name.
    FamilyOwn,
}

/// What the demo needs to know of a country its applicants come from. The names are common
/// given names and family names of the country put together at random: they are invented
/// applicants, not real people.
#[derive(Debug)]
struct Country {
    code: &'static str,
    /// The language most returnees there are contacted in (ISO 639-1).
    language: &'static str,
    naming: Naming,
    men: &'static [&'static str],
    women: &'static [&'static str],
    /// Family names; for a patronymic country, the fathers' given names.
    families: &'static [&'static str],
    /// Real towns people return to.
    towns: &'static [&'static str],
    /// The airport of the return (IATA).
    airport: &'static str,
    /// The local currency the grant is paid in, and the UN operational rate (per US dollar).
    currency: &'static str,
    per_usd: &'static str,
}

const COUNTRIES: &[Country] = &[
    Country {
        code: "ET",
        language: "am",
        naming: Naming::Patronymic { names: 2 },
        men: &[
            "Dawit", "Yonas", "Getachew", "Biniam", "Mulugeta", "Fikru", "Henok", "Samson", "Abel",
            "Tamirat", "Mesfin",
        ],
        women: &[
            "Meron",
            "Selamawit",
            "Hiwot",
            "Tigist",
            "Almaz",
            "Bethlehem",
            "Mekdes",
            "Rahel",
            "Eyerusalem",
            "Aster",
            "Liya",
        ],
        families: &[
            "Wolde",
            "Gebremedhin",
            "Alemu",
            "Demissie",
            "Girma",
            "Assefa",
            "Negash",
            "Tilahun",
            "Mengistu",
            "Ayele",
            "Desta",
        ],
        towns: &[
            "Addis Ababa",
            "Dire Dawa",
            "Gondar",
            "Bahir Dar",
            "Hawassa",
            "Jimma",
            "Adama",
            "Dessie",
        ],
        airport: "ADD",
        currency: "ETB",
        per_usd: "57.25",
    },
    Country {
        code: "ER",
        language: "ti",
        naming: Naming::Patronymic { names: 2 },
        men: &[
            "Yonatan", "Filmon", "Kidane", "Mehari", "Habtom", "Yemane", "Efrem", "Robel", "Awet",
            "Semere", "Natnael",
        ],
        women: &[
            "Senait", "Luwam", "Saba", "Feven", "Selam", "Winta", "Hadas", "Yordanos", "Ruta",
            "Mebrat", "Eden",
        ],
        families: &[
            "Tesfamariam",
            "Ghebremichael",
            "Weldemariam",
            "Habte",
            "Berhane",
            "Kahsay",
            "Andemariam",
            "Tewelde",
            "Okbazghi",
            "Zerai",
            "Ghirmay",
        ],
        towns: &[
            "Asmara",
            "Keren",
            "Massawa",
            "Mendefera",
            "Dekemhare",
            "Barentu",
        ],
        airport: "ASM",
        currency: "ERN",
        per_usd: "15",
    },
    Country {
        code: "SO",
        language: "so",
        naming: Naming::Patronymic { names: 3 },
        men: &[
            "Abdirahman",
            "Abdullahi",
            "Yusuf",
            "Mahad",
            "Liban",
            "Abdikarim",
            "Mukhtar",
            "Guled",
            "Bashir",
            "Khadar",
            "Ismail",
        ],
        women: &[
            "Hodan", "Fadumo", "Ifrah", "Sahra", "Nasra", "Hamdi", "Ubah", "Deeqa", "Muna",
            "Sagal", "Idil",
        ],
        families: &[
            "Warsame", "Jama", "Abdi", "Hirsi", "Egal", "Dualeh", "Nur", "Aden", "Osman",
            "Samatar", "Guleid",
        ],
        towns: &[
            "Hargeisa",
            "Mogadishu",
            "Kismayo",
            "Garowe",
            "Bosaso",
            "Burao",
            "Baidoa",
        ],
        airport: "MGQ",
        currency: "SOS",
        per_usd: "571",
    },
    Country {
        code: "SD",
        language: "ar",
        naming: Naming::Patronymic { names: 3 },
        men: &[
            "Osman",
            "Elfatih",
            "Abdelrahim",
            "Babiker",
            "Hamza",
            "Musab",
            "Khalid",
            "Elsadig",
            "Yasir",
            "Mohanad",
            "Awad",
        ],
        women: &[
            "Amna", "Samah", "Hiba", "Rayan", "Tasneem", "Ikhlas", "Nusaiba", "Wisal", "Duaa",
            "Manahil", "Arwa",
        ],
        families: &[
            "Abdelgadir",
            "Elhassan",
            "Ibrahim",
            "Elamin",
            "Mustafa",
            "Yousif",
            "Elnour",
            "Hamid",
            "Suliman",
            "Eltayeb",
            "Adam",
        ],
        towns: &[
            "Khartoum",
            "Omdurman",
            "Port Sudan",
            "Kassala",
            "Wad Madani",
            "El Obeid",
        ],
        airport: "PZU",
        currency: "SDG",
        per_usd: "601",
    },
    Country {
        code: "AF",
        language: "fa",
        naming: Naming::FamilyOwn,
        men: &[
            "Farid",
            "Jawad",
            "Sayed Karim",
            "Naweed",
            "Zabihullah",
            "Wahid",
            "Ghulam Sakhi",
            "Mujtaba",
            "Shafiq",
            "Rahmatullah",
            "Bilal",
        ],
        women: &[
            "Zahra", "Fatema", "Marzia", "Parwana", "Shabnam", "Nilofar", "Freshta", "Maryam",
            "Tahmina", "Sima", "Lina",
        ],
        families: &[
            "Rahimi",
            "Sultani",
            "Hashimi",
            "Noori",
            "Qaderi",
            "Jafari",
            "Sadat",
            "Mohammadi",
            "Hakimi",
            "Azizi",
            "Nazari",
        ],
        towns: &[
            "Herat",
            "Kabul",
            "Mazar-i-Sharif",
            "Kandahar",
            "Jalalabad",
            "Kunduz",
            "Ghazni",
        ],
        airport: "KBL",
        currency: "AFN",
        per_usd: "70.50",
    },
    Country {
        code: "IQ",
        language: "ar",
        naming: Naming::Patronymic { names: 3 },
        men: &[
            "Haidar",
            "Karrar",
            "Zaid",
            "Rebwar",
            "Dilshad",
            "Saman",
            "Ammar",
            "Muntadhar",
            "Hawkar",
            "Sarmad",
            "Yaseen",
        ],
        women: &[
            "Zainab", "Noor", "Rusul", "Huda", "Shilan", "Dilan", "Marwa", "Sara", "Hawre", "Ban",
            "Tabarek",
        ],
        families: &[
            "Kadhim", "Jabbar", "Abbas", "Salih", "Hamad", "Rashid", "Karim", "Aziz", "Mahmoud",
            "Taha", "Qasim",
        ],
        towns: &[
            "Mosul",
            "Erbil",
            "Sulaymaniyah",
            "Duhok",
            "Kirkuk",
            "Baghdad",
            "Basra",
        ],
        airport: "EBL",
        currency: "IQD",
        per_usd: "1310",
    },
    Country {
        code: "MA",
        language: "ar",
        naming: Naming::FamilyOwn,
        men: &[
            "Youssef", "Hamza", "Mehdi", "Ayoub", "Rachid", "Anas", "Soufiane", "Ilyas", "Othmane",
            "Zakaria", "Tarik",
        ],
        women: &[
            "Salma", "Khadija", "Imane", "Meryem", "Houda", "Nadia", "Sanae", "Ghizlane", "Loubna",
            "Asmae", "Hajar",
        ],
        families: &[
            "El Idrissi",
            "Bennani",
            "Ouazzani",
            "Tazi",
            "Benjelloun",
            "Chakir",
            "Lahlou",
            "El Amrani",
            "Haddaoui",
            "Berrada",
            "Skalli",
        ],
        towns: &[
            "Casablanca",
            "Tangier",
            "Fes",
            "Oujda",
            "Nador",
            "Marrakesh",
            "Tetouan",
        ],
        airport: "CMN",
        currency: "MAD",
        per_usd: "9.95",
    },
    Country {
        code: "AL",
        language: "sq",
        naming: Naming::Family,
        men: &[
            "Arben", "Ardit", "Erion", "Klevis", "Besnik", "Endrit", "Gentian", "Dritan",
            "Florian", "Kristi", "Elton",
        ],
        women: &[
            "Elira", "Anisa", "Ermira", "Blerina", "Jonida", "Klea", "Alketa", "Dorina", "Megi",
            "Xhesika", "Eda",
        ],
        families: &[
            "Dervishi", "Leka", "Kola", "Gjoka", "Marku", "Cela", "Hysa", "Prifti", "Duka",
            "Shkurti", "Meta",
        ],
        towns: &["Tirana", "Durrës", "Shkodër", "Elbasan", "Vlorë", "Fier"],
        airport: "TIA",
        currency: "ALL",
        per_usd: "92",
    },
    Country {
        code: "GE",
        language: "ka",
        naming: Naming::Family,
        men: &[
            "Giorgi", "Levan", "Davit", "Nika", "Luka", "Zurab", "Lasha", "Tornike", "Beka",
            "Otar", "Vakhtang",
        ],
        women: &[
            "Nino", "Mariam", "Tamar", "Ana", "Salome", "Eka", "Natia", "Ketevan", "Tatia", "Lika",
            "Maia",
        ],
        families: &[
            "Beridze",
            "Kapanadze",
            "Gelashvili",
            "Tsiklauri",
            "Lomidze",
            "Khutsishvili",
            "Maisuradze",
            "Chikhladze",
            "Abuladze",
            "Dolidze",
            "Japaridze",
        ],
        towns: &["Tbilisi", "Kutaisi", "Batumi", "Rustavi", "Zugdidi", "Gori"],
        airport: "TBS",
        currency: "GEL",
        per_usd: "2.71",
    },
    Country {
        code: "IN",
        language: "pa",
        naming: Naming::Family,
        men: &[
            "Gurpreet Singh",
            "Harjit Singh",
            "Manpreet Singh",
            "Jaswinder Singh",
            "Sukhdeep Singh",
            "Amandeep Singh",
            "Kulwinder Singh",
            "Ravinder Singh",
            "Paramjit Singh",
            "Balwinder Singh",
            "Navdeep Singh",
        ],
        women: &[
            "Harpreet Kaur",
            "Simranjit Kaur",
            "Rajwinder Kaur",
            "Mandeep Kaur",
            "Jasleen Kaur",
            "Navneet Kaur",
            "Kiranjit Kaur",
            "Sandeep Kaur",
            "Gurleen Kaur",
            "Ramandeep Kaur",
            "Prabhjot Kaur",
        ],
        families: &[
            "Gill", "Sandhu", "Dhillon", "Sidhu", "Grewal", "Brar", "Bains", "Cheema", "Randhawa",
            "Aulakh", "Virk",
        ],
        towns: &["Amritsar", "Jalandhar", "Ludhiana", "Patiala", "Bathinda"],
        airport: "ATQ",
        currency: "INR",
        per_usd: "84.10",
    },
];

fn country(code: &str) -> &'static Country {
    COUNTRIES
        .iter()
        .find(|c| c.code == code)
        .unwrap_or(&COUNTRIES[0])
}

/// Who applies together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Party {
    /// One adult.
    One,
    /// A couple and their children.
    Family { children: usize },
    /// A mother alone with her children.
    Mother { children: usize },
    /// An unaccompanied minor, sixteen years old.
    Minor,
    /// A woman who may be a victim of trafficking, with her child.
    Victim,
}

/// One person of a demo household, as the application gives them.
struct Person {
    relation: Relation,
    name: String,
    born: NaiveDate,
    minor: bool,
    victim: bool,
}

fn pick<'a>(list: &[&'a str], index: usize) -> &'a str {
    list[index % list.len()]
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a demo date")
}

/// The people of a household of `country`: invented names made as the country makes them,
/// and dates of birth spread by `seed` (the household's number in the demo); `k` is its number
/// among the households of the country, so that no two of them share a name.
fn household(
    country: &Country,
    kind: Party,
    seed: usize,
    k: usize,
    today: NaiveDate,
) -> Vec<Person> {
    // A given name and a family name go round their lists at different paces, and a second
    // round moves the family names on: no two households of a country share a name.
    let round = k / country.families.len();
    let man = pick(country.men, 3 * k);
    let woman = pick(country.women, 5 * k + 1);
    let family = pick(country.families, 7 * k + 2 + round);
    let other_family = pick(country.families, 7 * k + 5 + round);
    let grandfather = pick(country.families, 7 * k + 9 + round);
    let her_grandfather = pick(country.families, 7 * k + 13 + round);
    let year = 1972 + (seed * 7 % 26) as i32;
    let month = (seed * 5 % 12) as u32 + 1;
    let day = (seed * 11 % 28) as u32 + 1;
    // A person's full name: given name, then family name or father's name(s).
    let named = |given: &str, father: &str, grandfather: &str| match country.naming {
        Naming::Patronymic { names: 3 } => format!("{given} {father} {grandfather}"),
        _ => format!("{given} {father}"),
    };
    let adult = |relation: Relation, name: String, born: NaiveDate| Person {
        relation,
        name,
        born,
        minor: false,
        victim: false,
    };
    // The children: their father's given name (patronymic) or the family's name.
    let children = |father_given: &str, father_names: &str, parent_born: i32, count: usize| {
        (0..count)
            .map(|i| {
                let given = if (seed + i).is_multiple_of(2) {
                    pick(country.men, 3 * k + 4 + i)
                } else {
                    pick(country.women, 5 * k + 3 + i)
                };
                let name = match country.naming {
                    Naming::Patronymic { .. } => named(given, father_given, father_names),
                    Naming::Family | Naming::FamilyOwn => format!("{given} {family}"),
                };
                // The first child when the parent was 24 to 29 (but young enough to be a child
                // still), the next two or three years apart.
                let first = (parent_born + 24 + (seed % 6) as i32).clamp(2010, 2017);
                let born_in = first + (0..i).map(|j| 2 + ((seed + j) % 2) as i32).sum::<i32>();
                adult(
                    Relation::Child,
                    name,
                    ymd(born_in, (month + 4 * i as u32) % 12 + 1, (day + 9) % 28 + 1),
                )
            })
            .collect::<Vec<_>>()
    };
    // The woman's names: patronymic or her own family's, or her husband's family's.
    let her_name = match country.naming {
        Naming::Patronymic { .. } => named(woman, other_family, her_grandfather),
        Naming::FamilyOwn => format!("{woman} {other_family}"),
        Naming::Family => format!("{woman} {family}"),
    };
    let his_name = named(man, family, grandfather);
    match kind {
        Party::One => {
            // One in three applying alone is a woman.
            let name = if k % 3 == 2 { her_name } else { his_name };
            vec![adult(
                Relation::PrincipalApplicant,
                name,
                ymd(year, month, day),
            )]
        }
        Party::Family { children: count } => {
            let mut people = vec![
                adult(
                    Relation::PrincipalApplicant,
                    his_name,
                    ymd(year, month, day),
                ),
                adult(
                    Relation::Spouse,
                    her_name,
                    ymd(year + 2 + (seed % 4) as i32, (month + 6) % 12 + 1, day),
                ),
            ];
            people.extend(children(man, family, year, count));
            people
        }
        Party::Mother { children: count } => {
            let father = pick(country.men, 3 * k + 7);
            let mut people = vec![adult(
                Relation::PrincipalApplicant,
                her_name,
                ymd(year + 4, month, day),
            )];
            people.extend(children(father, other_family, year + 4, count));
            people
        }
        Party::Minor => vec![Person {
            relation: Relation::PrincipalApplicant,
            name: his_name,
            born: today - Duration::days(16 * 365 + 100),
            minor: true,
            victim: false,
        }],
        Party::Victim => {
            let father = pick(country.men, 3 * k + 7);
            let born = 1993 + (seed % 5) as i32;
            let mut people = vec![Person {
                relation: Relation::PrincipalApplicant,
                name: her_name,
                born: ymd(born, month, day),
                minor: false,
                victim: true,
            }];
            people.extend(children(father, other_family, born, 1));
            people
        }
    }
}

struct Script {
    system: System,
    clock: Arc<ManualClock>,
    /// When the demo runs: nothing in its story is decided later.
    now: DateTime<Utc>,
    /// Today in Norway.
    today: NaiveDate,
    /// The day the story is at.
    day: NaiveDate,
    cases: Vec<(CaseId, String)>,
    homes: HashMap<CaseId, &'static Country>,
    /// Households made so far, in all and per country.
    households: usize,
    per_country: HashMap<&'static str, usize>,
}

fn caller(role: Role, name: &str) -> Caller {
    Caller::agency(Actor::new(
        role,
        ActorId::parse(name).expect("a valid actor id"),
    ))
}

fn udi() -> Caller {
    caller(Role::Udi, "udi-kari")
}
fn une() -> Caller {
    caller(Role::Une, "une-per")
}
fn iom() -> Caller {
    caller(Role::Iom, "iom-amina")
}
fn scheduler() -> Caller {
    caller(Role::System, "deadline-scheduler")
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a demo date")
}

fn said(text: &str) -> Statement {
    Statement::parse(text).expect("a demo statement")
}

impl Script {
    /// A story on the database at `url` that ends at `now`.
    async fn open(url: &str, now: DateTime<Utc>) -> anyhow::Result<Script> {
        let clock = Arc::new(ManualClock::new(now));
        let system = System::open(url, clock.clone()).await?;
        let today = calendar::oslo_date(now);
        Ok(Script {
            system,
            clock,
            now,
            today,
            day: today,
            cases: Vec::new(),
            homes: HashMap::new(),
            households: 0,
            per_country: HashMap::new(),
        })
    }

    /// Moves the story to `day`, at ten in the morning in Norway (or now, on a morning that
    /// has not reached ten yet). Refuses a day after today: the demo records nothing in the
    /// future.
    fn at(&mut self, day: NaiveDate) -> anyhow::Result<()> {
        if day > self.today {
            bail!(
                "the demo's story would move to {day}, after today ({}): nothing may be dated in \
                 the future",
                self.today
            );
        }
        self.day = day;
        let ten = NaiveTime::from_hms_opt(10, 0, 0).expect("10:00");
        let at = chrono_tz::Europe::Oslo
            .from_local_datetime(&day.and_time(ten))
            .earliest()
            .map_or_else(|| day.and_time(ten).and_utc(), |at| at.to_utc());
        self.clock.set(at.min(self.now));
        Ok(())
    }

    /// `days` back from today.
    fn ago(&mut self, days: i64) -> anyhow::Result<()> {
        let day = self.today - Duration::days(days);
        self.at(day)
    }

    fn later(&mut self, days: i64) -> anyhow::Result<()> {
        let day = self.day + Duration::days(days);
        self.at(day)
    }

    /// The deadline scheduler's last pass: yesterday. Deadlines before it have been fired.
    fn last_pass(&self) -> NaiveDate {
        self.today - Duration::days(1)
    }

    fn home(&self, case: CaseId) -> &'static Country {
        self.homes.get(&case).copied().unwrap_or(&COUNTRIES[0])
    }

    async fn go(&self, who: &Caller, case: CaseId, action: Action) -> anyhow::Result<()> {
        let kind = action.kind();
        let request = CommandRequest {
            case_id: case,
            action,
            command_id: Uuid::now_v7(),
            correlation_id: Uuid::now_v7(),
            expected_version: None,
        };
        self.system
            .cases
            .handle(who, request)
            .await
            .with_context(|| format!("demo case {case}: {kind} on {}", self.day))?;
        Ok(())
    }

    async fn submit(
        &mut self,
        label: &str,
        code: &str,
        kind: Party,
        situation: ImmigrationSituation,
    ) -> anyhow::Result<CaseId> {
        let case = CaseId::from_uuid(Uuid::now_v7());
        let home = country(code);
        let k = {
            let count = self.per_country.entry(home.code).or_default();
            *count += 1;
            *count - 1
        };
        self.households += 1;
        let people = household(home, kind, self.households, k, self.today);
        let mut members = people.iter().map(|person| {
            Ok((
                HouseholdMember {
                    person_id: PersonId::from_uuid(Uuid::now_v7()),
                    relation: person.relation,
                },
                PersonDetails {
                    full_name: FullName::parse(&person.name).map_err(|e| anyhow::anyhow!("{e}"))?,
                    date_of_birth: person.born,
                    duf_number: None,
                    circumstances: SpecialCircumstances {
                        unaccompanied_minor: person.minor,
                        possible_trafficking_victim: person.victim,
                    },
                },
            ))
        });
        let principal = members
            .next()
            .context("a household needs a principal applicant")??;
        let others = members.collect::<anyhow::Result<Vec<_>>>()?;
        let country_code = CountryCode::parse(code).map_err(|e| anyhow::anyhow!("{e}"))?;
        let town = pick(home.towns, k * 3 + self.households);
        let application = Application {
            household: Household::new(principal, others).map_err(|e| anyhow::anyhow!("{e}"))?,
            nationality: country_code,
            return_country: country_code,
            final_destination: Place::parse(town).map_err(|e| anyhow::anyhow!("{e}"))?,
            situation,
            departure_deadline: (situation == ImmigrationSituation::DublinTransfer)
                .then(|| self.day + Duration::days(60)),
            previously_assisted_and_reimmigrated: false,
            refused_for_status_in_other_eea_country: false,
            contact: Some(Contact {
                phone: PhoneNumber::parse(&demo_phone(case)).map_err(|e| anyhow::anyhow!("{e}"))?,
                language: LanguageCode::parse(home.language).map_err(|e| anyhow::anyhow!("{e}"))?,
                needs_interpreter: home.language != "en",
            }),
        };
        let applicant = Caller::applicant(
            Actor::new(Role::Applicant, ActorId::parse("applicant").expect("valid")),
            [case],
        );
        self.go(&applicant, case, Action::Submit(Box::new(application)))
            .await?;
        self.cases.push((case, label.to_owned()));
        self.homes.insert(case, home);
        Ok(case)
    }

    async fn applicant_does(&self, case: CaseId, action: Action) -> anyhow::Result<()> {
        let applicant = Caller::applicant(
            Actor::new(Role::Applicant, ActorId::parse("applicant").expect("valid")),
            [case],
        );
        self.go(&applicant, case, action).await
    }

    /// A flight from Oslo towards the case's home airport, `in_days` from the story's day.
    fn booking(&self, case: CaseId, in_days: i64) -> Booking {
        Booking {
            departs_on: self.day + Duration::days(in_days),
            flight: FlightNumber::parse("TK1752").expect("a flight"),
            from_airport: AirportCode::parse("OSL").expect("OSL"),
            to_airport: AirportCode::parse(self.home(case).airport).expect("an airport"),
            meet_at: chrono::NaiveTime::from_hms_opt(7, 30, 0),
        }
    }

    /// UDI begins the review three days on and approves nine days after.
    async fn decide_approval(&mut self, case: CaseId) -> anyhow::Result<()> {
        self.later(3)?;
        self.go(&udi(), case, Action::BeginReview).await?;
        self.later(9)?;
        self.go(&udi(), case, Action::approve()).await
    }

    async fn hand_over(&mut self, case: CaseId) -> anyhow::Result<()> {
        self.later(2)?;
        self.go(&udi(), case, Action::HandOverToIom).await
    }

    /// Review, approval and hand-over: fourteen days.
    async fn approve(&mut self, case: CaseId) -> anyhow::Result<()> {
        self.decide_approval(case).await?;
        self.hand_over(case).await
    }

    /// IOM asks the home country's embassy for emergency travel documents for everyone.
    async fn request_documents(&mut self, case: CaseId) -> anyhow::Result<()> {
        let persons = self.persons(case).await?;
        let issuing_country =
            CountryCode::parse(self.home(case).code).map_err(|e| anyhow::anyhow!("{e}"))?;
        self.go(
            &iom(),
            case,
            Action::RequestTravelDocument {
                persons,
                document: TravelDocumentKind::EmergencyTravelDocument,
                issuing_country,
            },
        )
        .await
    }

    /// The embassy's documents, one per person, valid for six months.
    async fn record_documents(&mut self, case: CaseId) -> anyhow::Result<()> {
        let home = self.home(case);
        for (n, person) in self.persons(case).await?.into_iter().enumerate() {
            let serial = (person.as_uuid().as_u128() % 9_000_000) as u64 + 1_000_000 + n as u64;
            let number = DocumentNumber::parse(&format!("{}{serial}", home.code))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let valid_until = self.day + Duration::days(180);
            self.go(
                &iom(),
                case,
                Action::RecordTravelDocument {
                    person_id: person,
                    document: TravelDocumentKind::EmergencyTravelDocument,
                    number,
                    valid_until,
                },
            )
            .await?;
        }
        Ok(())
    }

    /// IOM books a flight `in_days` ahead, and the applicant signs the self-declaration.
    async fn book(&mut self, case: CaseId, in_days: i64) -> anyhow::Result<()> {
        let booking = self.booking(case, in_days);
        self.go(&iom(), case, Action::BookDeparture(booking))
            .await?;
        self.go(
            &iom(),
            case,
            Action::RecordSelfDeclaration {
                signed_on: self.day,
            },
        )
        .await
    }

    /// The household leaves today (the story's), with its pocket money.
    async fn depart(&mut self, case: CaseId) -> anyhow::Result<()> {
        self.go(
            &iom(),
            case,
            Action::ConfirmDeparture {
                departed_on: self.day,
            },
        )
        .await?;
        self.go(&iom(), case, Action::PayPocketMoney).await
    }

    async fn arrive(&mut self, case: CaseId) -> anyhow::Result<()> {
        self.go(
            &iom(),
            case,
            Action::ConfirmArrival {
                arrived_on: self.day,
            },
        )
        .await
    }

    /// Travel documents (if needed), booking, departure two weeks later and arrival the day
    /// after.
    async fn travel(&mut self, case: CaseId, documents: bool) -> anyhow::Result<()> {
        if documents {
            self.later(1)?;
            self.request_documents(case).await?;
            self.later(12)?;
            self.record_documents(case).await?;
        }
        self.book(case, 14).await?;
        self.later(14)?;
        self.depart(case).await?;
        self.later(1)?;
        self.arrive(case).await
    }

    async fn persons(&self, case: CaseId) -> anyhow::Result<Vec<PersonId>> {
        let loaded = self.system.cases.load(case).await?;
        Ok(loaded
            .case
            .application
            .map(|a| a.person_ids())
            .unwrap_or_default())
    }

    fn rates(&self, case: CaseId) -> anyhow::Result<ExchangeRates> {
        let home = self.home(case);
        Ok(ExchangeRates {
            nok_per_usd: PerUsd::parse("10.62").expect("a rate"),
            local_currency: Currency::parse(home.currency).map_err(|e| anyhow::anyhow!("{e}"))?,
            local_per_usd: PerUsd::parse(home.per_usd).map_err(|e| anyhow::anyhow!("{e}"))?,
        })
    }

    /// Pays what is due of the cash grant now, at the UN rate of the home country's currency.
    async fn pay_due(&mut self, case: CaseId) -> anyhow::Result<()> {
        let loaded = self.system.cases.load(case).await?;
        let (Some(approval), Some(arrived_on)) =
            (loaded.case.approval.as_ref(), loaded.case.travel.arrived_on)
        else {
            return Ok(());
        };
        let due = approval.grant.due_by(arrived_on, self.day).minor_units
            - loaded.case.payout.reintegration_paid.minor_units;
        if due > 0 {
            let rates = self.rates(case)?;
            self.go(
                &iom(),
                case,
                Action::PayReintegrationTranche {
                    amount: Money::new(Currency::NOK, due),
                    rates,
                    payee: Payee::Cash,
                },
            )
            .await?;
        }
        Ok(())
    }

    /// Pays the whole cash grant, each tranche ten days after it falls due.
    async fn pay_out(&mut self, case: CaseId) -> anyhow::Result<()> {
        loop {
            self.later(10)?;
            self.pay_due(case).await?;
            if !self
                .system
                .cases
                .load(case)
                .await?
                .case
                .cash_outstanding()
                .is_positive()
            {
                return Ok(());
            }
            self.later(21)?;
        }
    }

    /// Paid out, then closed three days later.
    async fn pay_and_close(&mut self, case: CaseId) -> anyhow::Result<()> {
        self.pay_out(case).await?;
        self.later(3)?;
        self.go(&iom(), case, Action::CloseCase).await
    }

    async fn refuse(&mut self, case: CaseId, reason: &str) -> anyhow::Result<()> {
        self.later(3)?;
        self.go(&udi(), case, Action::BeginReview).await?;
        self.later(10)?;
        self.go(
            &udi(),
            case,
            Action::Refuse {
                reasons: said(reason),
                notified_on: self.day,
            },
        )
        .await
    }

    async fn appeal(
        &mut self,
        case: CaseId,
        grounds: &str,
        posted_on: Option<NaiveDate>,
    ) -> anyhow::Result<()> {
        self.applicant_does(
            case,
            Action::LodgeAppeal {
                grounds: said(grounds),
                posted_on,
            },
        )
        .await
    }

    /// Fires the case's deadlines that passed before the scheduler's last pass, each on the
    /// day after its last day, as `retur serve`'s scheduler does.
    async fn settle(&mut self, case: CaseId) -> anyhow::Result<()> {
        loop {
            let Some(status) = self.system.cases.status(&crate::auditor(), case).await? else {
                return Ok(());
            };
            let Some(deadline) = status.next_deadline else {
                return Ok(());
            };
            if deadline.on >= self.last_pass() {
                return Ok(());
            }
            let fired_on = deadline.on + Duration::days(1);
            if fired_on < self.day {
                bail!(
                    "demo case {case}: its {} on {} passed before the story's day {} and was \
                     never fired",
                    deadline.kind.name(),
                    deadline.on,
                    self.day
                );
            }
            self.at(fired_on)?;
            let action = match deadline.kind {
                retur_app::DeadlineKind::AppealWindowCloses => Action::CloseAppealWindow,
                retur_app::DeadlineKind::TravelDeadline => Action::LapseTravelDeadline,
                retur_app::DeadlineKind::PayoutTarget => Action::FlagPayoutOverdue,
            };
            self.go(&scheduler(), case, action).await?;
        }
    }

    /// The last day an appeal against the case's refusal or revocation is in time.
    async fn appeal_deadline(&self, case: CaseId) -> anyhow::Result<NaiveDate> {
        let loaded = self.system.cases.load(case).await?;
        loaded
            .case
            .contested
            .map(|c| c.appeal_deadline)
            .context("the case has no decision open to appeal")
    }
}

/// Runs the demo; returns its cases, in the order they were made, with what each shows.
pub(crate) async fn run(url: &str) -> anyhow::Result<Vec<(CaseId, String)>> {
    let now = Utc::now();
    let today = calendar::oslo_date(now);
    let mut script = Script::open(url, now).await?;
    let bar = crate::progress_bar(56, "demo cases");
    let s = &mut script;

    // ---- Told in 2025, under the rules then in force; every one of these cases is over.

    // Approved, travelled, paid out and closed: six programmes, alone and as families (whose
    // members need emergency travel documents).
    for (n, code) in ["ET", "AF", "IQ", "SO", "ER", "SD"].into_iter().enumerate() {
        for family in [false, true] {
            s.at(date("2025-01-06") + Duration::days(5 * n as i64 + if family { 2 } else { 0 }))?;
            let kind = if family {
                Party::Family {
                    children: 1 + n % 3,
                }
            } else {
                Party::One
            };
            let case = s
                .submit(
                    &format!("paid {code}"),
                    code,
                    kind,
                    ImmigrationSituation::AsylumRefused,
                )
                .await?;
            s.approve(case).await?;
            s.travel(case, family).await?;
            s.pay_and_close(case).await?;
            s.settle(case).await?;
            bar.inc(1);
        }
    }
    // Morocco in 2025, under the entry then in force: it read udi.no as giving the whole grant
    // in kind, so there is nothing to pay in cash. (A misreading, corrected from 2026-11-25:
    // the in-kind support in EUR comes on top of the cash grant. Cases decided before keep
    // their grant.)
    s.at(date("2025-02-10"))?;
    let case = s
        .submit(
            "in kind MA",
            "MA",
            Party::One,
            ImmigrationSituation::AsylumRefused,
        )
        .await?;
    s.approve(case).await?;
    s.travel(case, false).await?;
    s.later(3)?;
    s.go(&iom(), case, Action::CloseCase).await?;
    bar.inc(1);

    // Refusals that became final when the appeal window closed.
    for (n, code) in ["ET", "SO"].into_iter().enumerate() {
        s.at(date("2025-03-03") + Duration::days(n as i64))?;
        let case = s
            .submit(
                "refused",
                code,
                Party::One,
                ImmigrationSituation::AsylumRefused,
            )
            .await?;
        s.refuse(
            case,
            "The applicant holds a residence permit in Sweden and can return there.",
        )
        .await?;
        s.settle(case).await?;
        bar.inc(1);
    }

    // Appeals, decided at UDI or at UNE.
    for (n, &path) in AppealPath::VARIANTS.iter().enumerate() {
        s.at(date("2025-03-17") + Duration::days(n as i64))?;
        let case = s
            .submit(
                &format!("appeal {path}"),
                "ER",
                Party::Mother { children: 1 },
                ImmigrationSituation::AsylumRefused,
            )
            .await?;
        s.refuse(case, "The identity is not established.").await?;
        s.later(10)?;
        s.appeal(case, "A passport has now been provided.", None)
            .await?;
        s.later(7)?;
        match path {
            AppealPath::Reversed => {
                s.go(
                    &udi(),
                    case,
                    Action::ReverseDecision {
                        reasoning: said("The passport establishes the identity."),
                        particularly_vulnerable: Default::default(),
                    },
                )
                .await?
            }
            AppealPath::DismissedAtUdi => {
                s.go(
                    &udi(),
                    case,
                    Action::DismissAppeal {
                        ground: DismissalGround::NotAParty,
                        reasoning: said("Lodged by someone not a party."),
                    },
                )
                .await?
            }
            AppealPath::Allowed
            | AppealPath::Rejected
            | AppealPath::Quashed
            | AppealPath::DismissedAtUne => {
                s.go(
                    &udi(),
                    case,
                    Action::ForwardToUne {
                        assessment: said("UDI maintains the refusal."),
                    },
                )
                .await?;
                s.later(30)?;
                let reasoning = said("UNE has weighed the passport.");
                match path {
                    AppealPath::Allowed => {
                        s.go(
                            &une(),
                            case,
                            Action::AllowAppeal {
                                reasoning,
                                particularly_vulnerable: Default::default(),
                            },
                        )
                        .await?
                    }
                    AppealPath::Rejected => {
                        s.go(&une(), case, Action::RejectAppeal { reasoning })
                            .await?
                    }
                    AppealPath::Quashed => {
                        s.go(&une(), case, Action::QuashDecision { reasoning })
                            .await?;
                        s.later(5)?;
                        s.go(&udi(), case, Action::approve()).await?;
                    }
                    AppealPath::Reversed | AppealPath::DismissedAtUdi => {
                        unreachable!("decided at UDI, never forwarded")
                    }
                    AppealPath::DismissedAtUne => {
                        s.go(
                            &une(),
                            case,
                            Action::DismissAppealAtUne {
                                ground: DismissalGround::Late,
                                reasoning,
                            },
                        )
                        .await?
                    }
                }
            }
        }
        // Approved on appeal: they travel (the quashed one's household never does, and its
        // approval lapses).
        if matches!(path, AppealPath::Reversed | AppealPath::Allowed) {
            s.hand_over(case).await?;
            s.travel(case, true).await?;
            s.pay_and_close(case).await?;
        }
        s.settle(case).await?;
        bar.inc(1);
    }

    // Withdrawals, revocations, lapses, forced returns.
    for n in 0..2 {
        s.at(date("2025-04-01") + Duration::days(n))?;
        let case = s
            .submit(
                "withdrawn",
                "SO",
                Party::One,
                ImmigrationSituation::AsylumPending,
            )
            .await?;
        if n > 0 {
            s.approve(case).await?;
        }
        s.later(4)?;
        s.applicant_does(case, Action::Withdraw).await?;
        bar.inc(1);
    }
    for n in 0..2 {
        s.at(date("2025-04-07") + Duration::days(n))?;
        let case = s
            .submit(
                "revoked",
                "AF",
                Party::One,
                ImmigrationSituation::AsylumRefused,
            )
            .await?;
        s.approve(case).await?;
        s.later(5)?;
        let notified_on = s.day;
        s.go(
            &udi(),
            case,
            Action::RevokeApproval {
                reasons: said("New information shows legal residence in Italy."),
                notified_on,
            },
        )
        .await?;
        s.settle(case).await?;
        bar.inc(1);
    }
    for n in 0..2 {
        s.at(date("2025-04-14") + Duration::days(n))?;
        let case = s
            .submit(
                "lapsed",
                "IQ",
                Party::One,
                ImmigrationSituation::AsylumRefused,
            )
            .await?;
        s.approve(case).await?;
        s.settle(case).await?;
        bar.inc(1);
    }
    for (n, code) in ["IQ", "MA"].into_iter().enumerate() {
        s.at(date("2025-04-21") + Duration::days(n as i64))?;
        let case = s
            .submit(
                "forced return",
                code,
                Party::One,
                ImmigrationSituation::AsylumAppealRefused,
            )
            .await?;
        s.later(5)?;
        let returned_on = s.day;
        s.go(&udi(), case, Action::RecordForcedReturn { returned_on })
            .await?;
        bar.inc(1);
    }

    // A no-show, rebooked, travelled and paid; a return, re-entry and a repayment claim.
    s.at(date("2025-05-05"))?;
    let case = s
        .submit(
            "no-show",
            "ET",
            Party::One,
            ImmigrationSituation::AsylumRefused,
        )
        .await?;
    s.approve(case).await?;
    s.book(case, 10).await?;
    s.later(10)?;
    s.go(&iom(), case, Action::ReportNoShow).await?;
    let rebooked = s.booking(case, 7);
    s.go(&iom(), case, Action::RebookDeparture(rebooked))
        .await?;
    s.later(7)?;
    s.depart(case).await?;
    s.later(1)?;
    s.arrive(case).await?;
    s.pay_and_close(case).await?;
    bar.inc(1);

    s.at(date("2025-01-06"))?;
    let case = s
        .submit(
            "re-entered",
            "ET",
            Party::One,
            ImmigrationSituation::AsylumRefused,
        )
        .await?;
    s.approve(case).await?;
    s.travel(case, false).await?;
    s.pay_and_close(case).await?;
    s.later(200)?;
    let re_entered_on = s.day;
    s.go(&udi(), case, Action::RecordReEntry { re_entered_on })
        .await?;
    s.go(
        &udi(),
        case,
        Action::ClaimRepayment {
            amount: Money::nok(15_000),
        },
    )
    .await?;
    bar.inc(1);

    // ---- Told backwards from today: most of these are still in someone's queue.

    // Appeals registered after the window closed (forvaltningsloven §§ 30 and 31): one posted on
    // the last day, two posted late, which UDI hears or dismisses as late; one late appeal waits.
    for (n, &path) in LatePath::VARIANTS.iter().enumerate() {
        s.ago(72 - 2 * n as i64)?;
        let case = s
            .submit(
                &format!("appeal {path}"),
                "ET",
                Party::One,
                ImmigrationSituation::AsylumRefused,
            )
            .await?;
        s.refuse(case, "The identity is not established.").await?;
        let last_day = s.appeal_deadline(case).await?;
        s.settle(case).await?;
        s.later(3)?;
        let posted_on = if path == LatePath::PostedInTime {
            last_day
        } else {
            s.day - Duration::days(1)
        };
        s.appeal(
            case,
            "The identity card has arrived from Addis Ababa.",
            Some(posted_on),
        )
        .await?;
        s.later(4)?;
        match path {
            LatePath::Heard => {
                s.go(
                    &udi(),
                    case,
                    Action::AcceptLateAppeal {
                        ground: LateAppealGround::NotToBlame,
                        reasoning: said("The applicant was in hospital when the refusal came."),
                    },
                )
                .await?
            }
            LatePath::Dismissed => {
                s.go(
                    &udi(),
                    case,
                    Action::DismissAppeal {
                        ground: DismissalGround::Late,
                        reasoning: said("Posted after the deadline, and no reason given."),
                    },
                )
                .await?
            }
            LatePath::PostedInTime | LatePath::Waiting => {}
        }
        bar.inc(1);
    }

    // The exceptions to the excluded nationalities: an unaccompanied minor and a possible
    // victim of trafficking are approved; a citizen of India, with no exception, is refused.
    s.ago(48)?;
    let case = s
        .submit(
            "minor AL",
            "AL",
            Party::Minor,
            ImmigrationSituation::AsylumPending,
        )
        .await?;
    s.approve(case).await?;
    bar.inc(1);
    s.ago(30)?;
    let case = s
        .submit(
            "victim GE",
            "GE",
            Party::Victim,
            ImmigrationSituation::AsylumRefused,
        )
        .await?;
    s.approve(case).await?;
    s.later(1)?;
    s.request_documents(case).await?;
    bar.inc(1);
    s.ago(19)?;
    let case = s
        .submit(
            "excluded IN",
            "IN",
            Party::One,
            ImmigrationSituation::AsylumRefused,
        )
        .await?;
    s.refuse(
        case,
        "Citizens of India are not eligible for assisted return, and no exception applies.",
    )
    .await?;
    bar.inc(1);

    // Still in progress, in each agency's queues, with deadlines overdue, due today and soon.
    for &stage in OpenStage::VARIANTS {
        let case = open_case(s, stage).await?;
        s.settle(case).await?;
        bar.inc(1);
    }
    bar.finish_and_clear();

    // The deadline scheduler's last pass, yesterday: the story fired every deadline the day
    // after it passed, so this finds none left before yesterday.
    let last_pass = s.last_pass();
    s.at(last_pass)?;
    let fired = retur_app::Scheduler::new(s.system.cases.clone())
        .fire_due()
        .await?;
    s.clock.set(now);
    let system = &script.system;
    system.catch_up().await?;
    say!(
        "the deadline scheduler fired each deadline on the day after it passed, {} at its last \
         pass yesterday; those that passed since are overdue until it runs again (`retur serve` \
         runs it)",
        fired.fired.len()
    );
    say!("created {} cases\n", script.cases.len());
    for agency in Agency::ALL {
        crate::print_queues(system, agency).await?;
        say!();
    }
    let streams: Vec<String> = script
        .cases
        .iter()
        .map(|(case, _)| retur_app::stream_id(*case).as_str().to_owned())
        .collect();
    let references = crate::references(system, &streams).await?;
    say!(
        "{:<12} {:<36} {:<24} {:<24} {:<8} next deadline",
        "reference",
        "case",
        "demo path",
        "state",
        "version"
    );
    let auditor = crate::auditor();
    for ((case, label), stream) in script.cases.iter().zip(&streams) {
        if let Some(status) = system.cases.status(&auditor, *case).await? {
            let deadline = status.next_deadline.map_or(String::new(), |d| {
                format!(
                    "{} {} ({})",
                    d.kind.name(),
                    d.on,
                    crate::nearness(d.on, today)
                )
            });
            say!(
                "{:<12} {:<36} {:<24} {:<24} {:<8} {deadline}",
                references.get(stream).map_or("-", String::as_str),
                case.to_string(),
                label,
                status.status.name(),
                status.version
            );
        }
    }
    say!();
    say!("payout ledger (per case, kind and currency):");
    for total in PayoutLedger::totals(system.projector.pool()).await? {
        let currency = Currency::parse(&total.currency).map_err(|e| anyhow::anyhow!("{e}"))?;
        say!(
            "  {:<12} {:<16} {}",
            references
                .get(&total.stream_id)
                .map_or(total.stream_id.as_str(), String::as_str),
            total.kind,
            Money::new(currency, total.amount_minor)
        );
    }
    say!();
    crate::print_stats(system).await?;
    say!();
    crate::verify(system, None).await?;
    say!();
    say!(
        "next: retur case show ID, retur case history ID --as-role iom, retur queues --agency iom \
         (ID: a reference, or the case's UUID)"
    );
    Ok(script.cases)
}

/// A case still in progress, left at `stage`; its story ends at the latest today.
async fn open_case(s: &mut Script, stage: OpenStage) -> anyhow::Result<CaseId> {
    let label = format!("open: {stage}");
    let asylum = ImmigrationSituation::AsylumRefused;
    let case = match stage {
        OpenStage::Submitted => {
            // This morning.
            s.ago(0)?;
            s.submit(&label, "AF", Party::One, asylum).await?
        }
        OpenStage::SubmittedFamily => {
            s.ago(9)?;
            s.submit(&label, "SO", Party::Family { children: 3 }, asylum)
                .await?
        }
        OpenStage::UnderReview => {
            s.ago(24)?;
            let case = s
                .submit(&label, "IQ", Party::Family { children: 2 }, asylum)
                .await?;
            s.later(4)?;
            s.go(&udi(), case, Action::BeginReview).await?;
            case
        }
        OpenStage::Approved => {
            s.ago(17)?;
            let case = s.submit(&label, "ER", Party::One, asylum).await?;
            s.decide_approval(case).await?;
            case
        }
        OpenStage::HandedOver => {
            s.ago(30)?;
            let case = s
                .submit(&label, "SD", Party::Family { children: 1 }, asylum)
                .await?;
            s.approve(case).await?;
            case
        }
        OpenStage::DocumentsPending => {
            // Eight weeks waiting for the embassy.
            s.ago(75)?;
            let case = s
                .submit(&label, "ER", Party::Family { children: 2 }, asylum)
                .await?;
            s.approve(case).await?;
            s.later(1)?;
            s.request_documents(case).await?;
            case
        }
        OpenStage::ReadyToBook => {
            s.ago(50)?;
            let case = s.submit(&label, "AF", Party::One, asylum).await?;
            s.approve(case).await?;
            s.later(1)?;
            s.request_documents(case).await?;
            s.ago(8)?;
            s.record_documents(case).await?;
            case
        }
        OpenStage::BookedLastDay => {
            // Approved 180 days ago: today is the last day to travel, and the flight leaves.
            s.ago(192)?;
            let case = s.submit(&label, "ET", Party::One, asylum).await?;
            s.approve(case).await?;
            s.later(1)?;
            s.request_documents(case).await?;
            s.ago(20)?;
            s.record_documents(case).await?;
            s.ago(10)?;
            s.book(case, 10).await?;
            case
        }
        OpenStage::BookedDueSoon => {
            // Approved 176 days ago: the travel deadline is in four days, the flight in two.
            s.ago(188)?;
            let case = s
                .submit(&label, "SO", Party::Mother { children: 2 }, asylum)
                .await?;
            s.approve(case).await?;
            s.later(1)?;
            s.request_documents(case).await?;
            s.ago(12)?;
            s.record_documents(case).await?;
            s.ago(3)?;
            s.book(case, 5).await?;
            case
        }
        OpenStage::NoShow => {
            s.ago(45)?;
            let case = s.submit(&label, "SO", Party::One, asylum).await?;
            s.approve(case).await?;
            s.ago(20)?;
            s.book(case, 14).await?;
            s.ago(6)?;
            s.go(&iom(), case, Action::ReportNoShow).await?;
            case
        }
        OpenStage::Rebooked => {
            s.ago(40)?;
            let case = s.submit(&label, "IQ", Party::One, asylum).await?;
            s.approve(case).await?;
            s.ago(25)?;
            s.book(case, 13).await?;
            s.ago(12)?;
            s.go(&iom(), case, Action::ReportNoShow).await?;
            s.later(3)?;
            let booking = s.booking(case, 14);
            s.go(&iom(), case, Action::RebookDeparture(booking)).await?;
            case
        }
        OpenStage::InTransit => {
            s.ago(40)?;
            let case = s.submit(&label, "IQ", Party::One, asylum).await?;
            s.approve(case).await?;
            s.ago(15)?;
            s.book(case, 14).await?;
            s.ago(1)?;
            s.depart(case).await?;
            case
        }
        OpenStage::PayoutOverdue => {
            // Arrived 22 days ago: the payout target (21 days) was yesterday, and nothing paid.
            s.ago(60)?;
            let case = s.submit(&label, "SD", Party::One, asylum).await?;
            s.approve(case).await?;
            s.ago(37)?;
            s.book(case, 14).await?;
            s.ago(23)?;
            s.depart(case).await?;
            s.ago(22)?;
            s.arrive(case).await?;
            case
        }
        OpenStage::PayoutDueSoon => {
            // Arrived 18 days ago: the payout target is in three days.
            s.ago(58)?;
            let case = s
                .submit(&label, "ET", Party::Family { children: 1 }, asylum)
                .await?;
            s.approve(case).await?;
            s.ago(33)?;
            s.book(case, 14).await?;
            s.ago(19)?;
            s.depart(case).await?;
            s.ago(18)?;
            s.arrive(case).await?;
            case
        }
        OpenStage::PayoutInProgress => {
            // Afghanistan's grant comes in two tranches: on arrival and three months after.
            s.ago(100)?;
            let case = s
                .submit(&label, "AF", Party::Family { children: 2 }, asylum)
                .await?;
            s.approve(case).await?;
            s.ago(75)?;
            s.book(case, 14).await?;
            s.ago(61)?;
            s.depart(case).await?;
            s.ago(60)?;
            s.arrive(case).await?;
            s.ago(51)?;
            s.pay_due(case).await?;
            case
        }
        OpenStage::PaidOut => {
            s.ago(70)?;
            let case = s.submit(&label, "ER", Party::One, asylum).await?;
            s.approve(case).await?;
            s.ago(45)?;
            s.book(case, 14).await?;
            s.ago(31)?;
            s.depart(case).await?;
            s.ago(30)?;
            s.arrive(case).await?;
            s.ago(21)?;
            s.pay_due(case).await?;
            case
        }
        OpenStage::AppealLodged => {
            s.ago(60)?;
            let case = s.submit(&label, "ET", Party::One, asylum).await?;
            s.refuse(case, "The identity is not established.").await?;
            s.later(12)?;
            s.appeal(case, "Witnesses confirm the identity.", None)
                .await?;
            case
        }
        OpenStage::AtUne => {
            s.ago(90)?;
            let case = s
                .submit(&label, "ER", Party::Family { children: 1 }, asylum)
                .await?;
            s.refuse(case, "The identity is not established.").await?;
            s.later(12)?;
            s.appeal(case, "Witnesses confirm the identity.", None)
                .await?;
            s.later(10)?;
            s.go(
                &udi(),
                case,
                Action::ForwardToUne {
                    assessment: said("UDI maintains the refusal."),
                },
            )
            .await?;
            case
        }
    };
    Ok(case)
}

/// The demo's appeals registered after the window closed, each a case taken along its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display, strum::VariantArray)]
enum LatePath {
    #[strum(serialize = "posted in time")]
    PostedInTime,
    #[strum(serialize = "late, heard")]
    Heard,
    #[strum(serialize = "late, dismissed")]
    Dismissed,
    #[strum(serialize = "late, waiting")]
    Waiting,
}

/// The demo's appeals, by how each ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display, strum::VariantArray)]
enum AppealPath {
    #[strum(serialize = "reversed")]
    Reversed,
    #[strum(serialize = "allowed")]
    Allowed,
    #[strum(serialize = "rejected")]
    Rejected,
    #[strum(serialize = "quashed")]
    Quashed,
    #[strum(serialize = "dismissed at une")]
    DismissedAtUne,
    #[strum(serialize = "dismissed at udi")]
    DismissedAtUdi,
}

/// The demo's cases still in progress, by the stage each is left at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display, strum::VariantArray)]
enum OpenStage {
    #[strum(serialize = "submitted")]
    Submitted,
    #[strum(serialize = "submitted, family")]
    SubmittedFamily,
    #[strum(serialize = "under review")]
    UnderReview,
    #[strum(serialize = "approved")]
    Approved,
    #[strum(serialize = "handed over")]
    HandedOver,
    #[strum(serialize = "documents pending")]
    DocumentsPending,
    #[strum(serialize = "ready to book")]
    ReadyToBook,
    #[strum(serialize = "booked, last day")]
    BookedLastDay,
    #[strum(serialize = "booked, due soon")]
    BookedDueSoon,
    #[strum(serialize = "no-show")]
    NoShow,
    #[strum(serialize = "rebooked")]
    Rebooked,
    #[strum(serialize = "in transit")]
    InTransit,
    #[strum(serialize = "payout overdue")]
    PayoutOverdue,
    #[strum(serialize = "payout due soon")]
    PayoutDueSoon,
    #[strum(serialize = "payout in progress")]
    PayoutInProgress,
    #[strum(serialize = "paid out")]
    PaidOut,
    #[strum(serialize = "appeal lodged")]
    AppealLodged,
    #[strum(serialize = "at une")]
    AtUne,
}

/// A Norwegian mobile number for a demo case, made from its id.
fn demo_phone(case: CaseId) -> String {
    let n = (case.as_uuid().as_u128() % 10_000_000) as u32;
    format!(
        "+47 {} {:02} {:03}",
        900 + n % 100,
        (n / 100) % 100,
        (n / 10_000) % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The story may go back and forth in the past, and to today, but not a day further; on
    /// today it never sets the clock after the moment it ends at, even before ten o'clock.
    #[tokio::test]
    async fn the_story_never_moves_past_now() {
        let database = retur_testkit::TestDatabase::sqlite();
        // Seven in the morning in Norway, before the story's usual ten o'clock.
        let now = chrono_tz::Europe::Oslo
            .with_ymd_and_hms(2026, 3, 2, 7, 0, 0)
            .single()
            .expect("a time")
            .to_utc();
        let mut script = Script::open(&database.url(), now).await.expect("a script");
        let today = ymd(2026, 3, 2);
        script.at(ymd(2025, 6, 1)).expect("the past");
        assert_eq!(
            retur_app::Clock::now(script.clock.as_ref()),
            Utc.with_ymd_and_hms(2025, 6, 1, 8, 0, 0)
                .single()
                .expect("10:00 CEST")
        );
        script.at(today).expect("today");
        assert_eq!(retur_app::Clock::now(script.clock.as_ref()), now);
        let refused = script.later(1).expect_err("tomorrow is refused");
        assert!(
            refused.to_string().contains("after today (2026-03-02)"),
            "{refused}"
        );
        assert_eq!(script.day, today, "the story stays where it was");
        assert!(script.at(ymd(2027, 1, 1)).is_err());
        assert_eq!(retur_app::Clock::now(script.clock.as_ref()), now);
    }

    /// Names as each country makes them: a patronymic country's child is named after the
    /// father, a family's children share its name; no two households of a country alike.
    #[test]
    fn households_have_names_as_their_country_makes_them() {
        let today = ymd(2026, 11, 26);
        let ethiopian = household(country("ET"), Party::Family { children: 2 }, 4, 0, today);
        let father = ethiopian[0].name.split(' ').next().expect("a given name");
        assert_eq!(ethiopian.len(), 4);
        for child in &ethiopian[2..] {
            assert_eq!(child.relation, Relation::Child);
            assert_eq!(child.name.split(' ').nth(1), Some(father), "{}", child.name);
            assert!(child.born > ethiopian[0].born + Duration::days(18 * 365));
        }
        assert!(ethiopian[2].born < ethiopian[3].born, "siblings apart");
        let georgian = household(country("GE"), Party::Family { children: 1 }, 5, 1, today);
        let family = georgian[0]
            .name
            .split(' ')
            .next_back()
            .expect("a family name");
        assert!(georgian.iter().all(|p| p.name.ends_with(family)));
        for code in ["ET", "ER", "SO", "SD", "AF", "IQ", "MA", "AL", "GE", "IN"] {
            let names: std::collections::BTreeSet<String> = (0..30)
                .map(|k| {
                    household(country(code), Party::One, k + 1, k, today)[0]
                        .name
                        .clone()
                })
                .collect();
            assert_eq!(names.len(), 30, "{code}: {names:?}");
        }
        let minor = household(country("AL"), Party::Minor, 1, 0, today);
        assert!(minor[0].minor && calendar::age_on(minor[0].born, today) == 16);
    }
}
