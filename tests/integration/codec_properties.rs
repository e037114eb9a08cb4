//! Properties of the value codecs over generated types and values: msgpack and JSON round trips, type JSON round
//! trips, agreement with an independent msgpack encoder (rmpv), and that no input, however broken, makes a decoder
//! panic.

use std::collections::{BTreeMap, BTreeSet};

use proptest::collection::{btree_map, btree_set, vec};
use proptest::prelude::*;
use terraform_provider_cognito::tf::value::normalize_string;
use terraform_provider_cognito::tf::{Number, Refinements, Type, Value, json, msgpack};

// ---------------------------------------------------------------------------------------------------------------
// Generators

fn arb_attribute_name() -> impl Strategy<Value = String> {
    prop_oneof![4 => "[a-z_]{1,12}", 1 => "\\PC{1,6}"]
}

fn arb_object_type(element: BoxedStrategy<Type>) -> impl Strategy<Value = Type> {
    btree_map(arb_attribute_name(), element, 0..5).prop_flat_map(|attributes| {
        let names: Vec<String> = attributes.keys().cloned().collect();
        let optional = if names.is_empty() {
            Just(BTreeSet::new()).boxed()
        } else {
            btree_set(proptest::sample::select(names), 0..3).boxed()
        };
        optional.prop_map(move |optional| Type::Object {
            attributes: attributes.clone(),
            optional,
        })
    })
}

/// Types up to a few levels deep, `dynamic` included anywhere.
fn arb_type() -> impl Strategy<Value = Type> {
    let leaf = prop_oneof![
        Just(Type::String),
        Just(Type::Number),
        Just(Type::Bool),
        Just(Type::Dynamic)
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            vec(inner.clone(), 0..4).prop_map(Type::Tuple),
            arb_object_type(inner.boxed()),
        ]
    })
}

/// Concrete types for the inside of `dynamic` values: shallower, so values stay small.
fn arb_concrete_type() -> impl Strategy<Value = Type> {
    let leaf = prop_oneof![Just(Type::String), Just(Type::Number), Just(Type::Bool)];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            vec(inner.clone(), 0..3).prop_map(Type::Tuple),
            arb_object_type(inner.boxed()),
        ]
    })
}

fn parsed(text: String) -> Number {
    text.parse().expect("generated numbers are valid")
}

/// Finite numbers of every shape the codecs treat differently: small and huge integers, exact binary fractions,
/// decimal fractions, long decimals, floats.
fn arb_finite_number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(|n| parsed(n.to_string())),
        (any::<i32>(), -30i32..30).prop_map(|(digits, exponent)| parsed(format!("{digits}e{exponent}"))),
        (any::<i32>(), 0u32..12)
            .prop_map(|(whole, halvings)| parsed(format!("{}", whole as f64 / 2f64.powi(halvings as i32)))),
        "-?[1-9][0-9]{18,40}(\\.[0-9]{0,25}[1-9])?".prop_map(parsed),
        any::<f64>().prop_filter_map("finite", |float| if float.is_finite() {
            Number::from_f64(float)
        } else {
            None
        }),
    ]
}

fn arb_number(with_infinities: bool) -> BoxedStrategy<Number> {
    if with_infinities {
        prop_oneof![
            10 => arb_finite_number(),
            1 => Just(Number::PositiveInfinity),
            1 => Just(Number::NegativeInfinity),
        ]
        .boxed()
    } else {
        arb_finite_number().boxed()
    }
}

/// Refinements go-cty can express for `ty`, in canonical form (nothing vacuous, prefixes within 256 bytes).
fn arb_refinements(ty: &Type) -> BoxedStrategy<Refinements> {
    let not_null = proptest::option::of(Just(true));
    match ty {
        Type::Dynamic => Just(Refinements::default()).boxed(),
        Type::String => (
            not_null,
            proptest::option::of("\\PC{1,30}".prop_map(|prefix| normalize_string(&prefix).into_owned())),
        )
            .prop_map(|(not_null, string_prefix)| Refinements {
                not_null,
                string_prefix,
                ..Default::default()
            })
            .boxed(),
        Type::Number => {
            let bound = || proptest::option::of((arb_finite_number(), any::<bool>()));
            (not_null, bound(), bound())
                .prop_map(|(not_null, mut number_lower, mut number_upper)| {
                    // Bounds some number meets: go-cty makes no others.
                    if let (Some(lower), Some(upper)) = (&mut number_lower, &mut number_upper) {
                        if lower.0 > upper.0 {
                            std::mem::swap(lower, upper);
                        }
                        if lower.0 == upper.0 {
                            (lower.1, upper.1) = (true, true);
                        }
                    }
                    Refinements {
                        not_null,
                        number_lower,
                        number_upper,
                        ..Default::default()
                    }
                })
                .boxed()
        }
        Type::List(_) | Type::Set(_) | Type::Map(_) => (
            not_null,
            proptest::option::of(1i64..1000),
            proptest::option::of(1000i64..i64::MAX),
        )
            .prop_map(|(not_null, length_lower, length_upper)| Refinements {
                not_null,
                length_lower,
                length_upper,
                ..Default::default()
            })
            .boxed(),
        _ => not_null
            .prop_map(|not_null| Refinements {
                not_null,
                ..Default::default()
            })
            .boxed(),
    }
}

/// Which values to generate: everything, or only what JSON can carry (no unknowns, no infinities).
#[derive(Clone, Copy)]
struct Flavor {
    unknowns: bool,
    /// Values as go-cty holds them (strings in NFC, sets in canonical order without repeats); otherwise as another
    /// encoder might write them: decomposed accents, repeated set elements in any order.
    canonical: bool,
}

const ANY_VALUE: Flavor = Flavor {
    unknowns: true,
    canonical: true,
};
const KNOWN_VALUE: Flavor = Flavor {
    unknowns: false,
    canonical: true,
};
const RAW_VALUE: Flavor = Flavor {
    unknowns: true,
    canonical: false,
};

/// Text with letters followed by combining accents, which NFC composes ("e\u{301}" is "é").
fn arb_decomposed_text() -> impl Strategy<Value = String> {
    "([a-zA-Z ]|[aeiouAEIOU][\u{300}-\u{304}\u{308}]{1,2}){0,8}"
}

/// A value conforming to `ty`: null, unknown (with refinements), or known, at every level.
fn arb_value(ty: &Type, flavor: Flavor) -> BoxedStrategy<Value> {
    let known = arb_known_value(ty, flavor);
    if flavor.unknowns {
        prop_oneof![
            1 => Just(Value::Null),
            1 => arb_refinements(ty).prop_map(Value::Unknown),
            5 => known,
        ]
        .boxed()
    } else {
        prop_oneof![1 => Just(Value::Null), 5 => known].boxed()
    }
}

fn arb_known_value(ty: &Type, flavor: Flavor) -> BoxedStrategy<Value> {
    match ty {
        Type::String if !flavor.canonical => prop_oneof![any::<String>(), arb_decomposed_text()]
            .prop_map(Value::String)
            .boxed(),
        Type::String => any::<String>()
            .prop_map(|text| Value::String(normalize_string(&text).into_owned()))
            .boxed(),
        Type::Number => arb_number(flavor.unknowns).prop_map(Value::Number).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::List(element) => vec(arb_value(element, flavor), 0..4).prop_map(Value::List).boxed(),
        Type::Set(element) if !flavor.canonical => vec(arb_value(element, flavor), 0..4)
            .prop_map(|mut items| {
                // Repeat the first element at the end.
                items.extend(items.first().cloned());
                Value::Set(items)
            })
            .boxed(),
        Type::Set(element) => vec(arb_value(element, flavor), 0..4).prop_map(Value::set_of).boxed(),
        Type::Map(element) if !flavor.canonical => btree_map(
            prop_oneof![any::<String>(), arb_decomposed_text()],
            arb_value(element, flavor),
            0..4,
        )
        .prop_filter("keys distinct in NFC", |entries| {
            let normalized: BTreeSet<_> = entries.keys().map(|key| normalize_string(key)).collect();
            normalized.len() == entries.len()
        })
        .prop_map(Value::Map)
        .boxed(),
        Type::Map(element) => btree_map(
            any::<String>().prop_map(|key| normalize_string(&key).into_owned()),
            arb_value(element, flavor),
            0..4,
        )
        .prop_map(Value::Map)
        .boxed(),
        Type::Tuple(elements) => {
            let items: Vec<_> = elements.iter().map(|element| arb_value(element, flavor)).collect();
            items.prop_map(Value::Tuple).boxed()
        }
        Type::Object { attributes, .. } => {
            let names: Vec<String> = attributes.keys().cloned().collect();
            let items: Vec<_> = attributes
                .values()
                .map(|attribute| arb_value(attribute, flavor))
                .collect();
            items
                .prop_map(move |values| Value::Object(names.iter().cloned().zip(values).collect()))
                .boxed()
        }
        Type::Dynamic => arb_concrete_type()
            .prop_flat_map(move |concrete| {
                arb_value(&concrete, flavor).prop_map(move |value| Value::Dynamic {
                    ty: concrete.clone(),
                    value: Box::new(value),
                })
            })
            .boxed(),
    }
}

fn arb_typed_value(flavor: Flavor) -> impl Strategy<Value = (Type, Value)> {
    arb_type().prop_flat_map(move |ty| {
        let value = arb_value(&ty, flavor);
        (Just(ty), value)
    })
}

// ---------------------------------------------------------------------------------------------------------------
// An independent msgpack encoder (rmpv), deliberately choosing other valid forms than ours: numbers as decimal
// strings, object keys in reverse order, refinement maps with an extra key from the future.

fn independent(value: &Value, ty: &Type) -> rmpv::Value {
    use rmpv::Value as Mp;
    match (value, ty) {
        (Value::Null, _) => Mp::Nil,
        (Value::Unknown(_), Type::Dynamic) => Mp::Ext(0, vec![0]),
        (Value::Unknown(refinements), _) => independent_unknown(refinements),
        (Value::String(text), _) => Mp::from(text.as_str()),
        (Value::Number(number), _) => Mp::from(number.to_string()),
        (Value::Bool(flag), _) => Mp::Boolean(*flag),
        (Value::List(items), Type::List(element)) | (Value::Set(items), Type::Set(element)) => {
            Mp::Array(items.iter().map(|item| independent(item, element)).collect())
        }
        (Value::Tuple(items), Type::Tuple(elements)) => Mp::Array(
            items
                .iter()
                .zip(elements)
                .map(|(item, element)| independent(item, element))
                .collect(),
        ),
        (Value::Map(entries), Type::Map(element)) => Mp::Map(
            entries
                .iter()
                .map(|(key, item)| (Mp::from(key.as_str()), independent(item, element)))
                .collect(),
        ),
        (Value::Object(attributes), Type::Object { attributes: types, .. }) => Mp::Map(
            attributes
                .iter()
                .rev()
                .map(|(name, item)| (Mp::from(name.as_str()), independent(item, &types[name])))
                .collect(),
        ),
        (
            Value::Dynamic {
                ty: inner_type,
                value: inner,
            },
            Type::Dynamic,
        ) => Mp::Array(vec![
            Mp::Binary(json::type_to_json(inner_type)),
            independent(inner, inner_type),
        ]),
        _ => panic!("generated value does not conform to its type"),
    }
}

fn independent_unknown(refinements: &Refinements) -> rmpv::Value {
    use rmpv::Value as Mp;
    let bound =
        |(number, inclusive): &(Number, bool)| Mp::Array(vec![Mp::from(number.to_string()), Mp::Boolean(*inclusive)]);
    let mut entries = vec![(Mp::from(99), Mp::Array(vec![Mp::Nil, Mp::from("future")]))];
    if refinements.not_null == Some(true) {
        entries.push((Mp::from(1), Mp::Boolean(false)));
    }
    if let Some(prefix) = &refinements.string_prefix {
        entries.push((Mp::from(2), Mp::from(prefix.as_str())));
    }
    if let Some(lower) = &refinements.number_lower {
        entries.push((Mp::from(3), bound(lower)));
    }
    if let Some(upper) = &refinements.number_upper {
        entries.push((Mp::from(4), bound(upper)));
    }
    if let Some(length) = refinements.length_lower {
        entries.push((Mp::from(5), Mp::from(length)));
    }
    if let Some(length) = refinements.length_upper {
        entries.push((Mp::from(6), Mp::from(length)));
    }
    let mut payload = Vec::new();
    rmpv::encode::write_value(&mut payload, &Mp::Map(entries)).expect("writing to a Vec");
    Mp::Ext(12, payload)
}

fn rmpv_bytes(value: &rmpv::Value) -> Vec<u8> {
    let mut bytes = Vec::new();
    rmpv::encode::write_value(&mut bytes, value).expect("writing to a Vec");
    bytes
}

// ---------------------------------------------------------------------------------------------------------------
// Properties

/// Decoding never panics; and whatever it accepts conforms to the type, so it encodes, and one more
/// decode/encode cycle changes nothing.
fn assert_decoding_is_total(bytes: &[u8], ty: &Type) {
    if let Ok(value) = msgpack::decode(bytes, ty) {
        let encoded = msgpack::encode(&value, ty).expect("a decoded value encodes");
        let again = msgpack::decode(&encoded, ty).expect("our own encoding decodes");
        assert_eq!(msgpack::encode(&again, ty).expect("re-encodes"), encoded);
    }
}

fn mutate(mut bytes: Vec<u8>, mutation: (u8, usize, u8)) -> Vec<u8> {
    let (kind, position, byte) = mutation;
    if bytes.is_empty() {
        return vec![byte];
    }
    let position = position % bytes.len();
    match kind % 4 {
        0 => bytes[position] = byte,
        1 => bytes.truncate(position),
        2 => bytes.insert(position, byte),
        _ => {
            bytes.remove(position);
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn msgpack_round_trips((ty, value) in arb_typed_value(ANY_VALUE)) {
        let bytes = msgpack::encode(&value, &ty).expect("a conforming value encodes");
        let decoded = msgpack::decode(&bytes, &ty).expect("our own encoding decodes");
        prop_assert!(decoded.semantically_equal(&value), "{decoded:?}\n!=\n{value:?}");
        prop_assert_eq!(decoded, value);
    }

    #[test]
    fn msgpack_output_is_well_formed_for_an_independent_reader((ty, value) in arb_typed_value(ANY_VALUE)) {
        let bytes = msgpack::encode(&value, &ty).expect("a conforming value encodes");
        let mut rest = bytes.as_slice();
        rmpv::decode::read_value(&mut rest).expect("rmpv reads our encoding");
        prop_assert!(rest.is_empty(), "rmpv left {} bytes", rest.len());
    }

    #[test]
    fn msgpack_decodes_an_independent_encoding((ty, value) in arb_typed_value(ANY_VALUE)) {
        let bytes = rmpv_bytes(&independent(&value, &ty));
        let decoded = msgpack::decode(&bytes, &ty).expect("decodes rmpv's encoding");
        prop_assert_eq!(decoded, value);
    }

    #[test]
    fn json_round_trips_wholly_known_values((ty, value) in arb_typed_value(KNOWN_VALUE)) {
        let encoded = json::encode(&value, &ty).expect("a known value encodes as JSON");
        let text = encoded.to_string();
        let decoded = json::decode(text.as_bytes(), &ty).expect("our own JSON decodes");
        prop_assert_eq!(&decoded, &value);
        let pretty = serde_json::to_vec_pretty(&encoded).expect("pretty-printing");
        prop_assert_eq!(json::decode(&pretty, &ty).expect("pretty JSON decodes"), value);
    }

    #[test]
    fn type_json_round_trips(ty in arb_type()) {
        let bytes = json::type_to_json(&ty);
        prop_assert_eq!(json::type_from_json(&bytes).expect("our own type JSON parses"), ty);
    }

    #[test]
    fn mutated_msgpack_never_panics(
        (ty, value) in arb_typed_value(ANY_VALUE),
        mutations in vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = msgpack::encode(&value, &ty).expect("a conforming value encodes");
        for mutation in mutations {
            bytes = mutate(bytes, mutation);
            assert_decoding_is_total(&bytes, &ty);
        }
    }

    #[test]
    fn mutated_json_never_panics(
        (ty, value) in arb_typed_value(KNOWN_VALUE),
        mutations in vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = json::encode(&value, &ty).expect("a known value encodes as JSON").to_string().into_bytes();
        for mutation in mutations {
            bytes = mutate(bytes, mutation);
            let _ = json::decode(&bytes, &ty);
            let _ = json::decode_lenient(&bytes, &ty);
            let _ = json::type_from_json(&bytes);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(ty in arb_type(), bytes in vec(any::<u8>(), 0..64)) {
        assert_decoding_is_total(&bytes, &ty);
        let _ = json::decode(&bytes, &ty);
        let _ = json::type_from_json(&bytes);
    }

    /// Random bytes rarely get past the first marker; bytes built from msgpack's structural markers go deeper.
    #[test]
    fn random_marker_soup_never_panics(
        ty in arb_type(),
        soup in vec(prop_oneof![
            Just(0xc0u8), Just(0xc2), Just(0xc3), Just(0x91), Just(0x92), Just(0x81), Just(0x82), Just(0xa1),
            Just(0x61), Just(0xd4), Just(0xc7), Just(0x0c), Just(0x01), Just(0x02), Just(0xcb), Just(0xc4),
            Just(0xdc), Just(0xde), Just(0xdd), Just(0xff), any::<u8>(),
        ], 0..48),
    ) {
        assert_decoding_is_total(&soup, &ty);
        assert_decoding_is_total(&soup, &Type::Dynamic);
    }
}

#[test]
fn deeply_nested_values_are_refused_not_overflowed() {
    let mut ty = Type::String;
    let mut value = Value::string("bottom");
    for _ in 0..200 {
        ty = Type::list(ty);
        value = Value::List(vec![value]);
    }
    assert!(msgpack::encode(&value, &ty).is_err());
    assert!(json::encode(&value, &ty).is_err());
    // 200 nested one-element arrays.
    let mut bytes = vec![0x91; 200];
    bytes.extend([0xa1, b'x']);
    assert!(msgpack::decode(&bytes, &ty).is_err());
    let text = format!("{}\"x\"{}", "[".repeat(120), "]".repeat(120));
    assert!(json::decode(text.as_bytes(), &ty).is_err());
    // `dynamic` values whose type is `dynamic`, nested 100 deep: no path steps, but still counted.
    let nested_json = format!("{}null{}", r#"{"type":"dynamic","value":"#.repeat(100), "}".repeat(100));
    assert!(json::decode(nested_json.as_bytes(), &Type::Dynamic).is_err());
}

#[test]
fn empty_object_types_and_collections_round_trip() {
    let ty = Type::object(Vec::<(String, Type)>::new());
    let value = Value::Object(BTreeMap::new());
    assert_eq!(
        msgpack::decode(&msgpack::encode(&value, &ty).unwrap(), &ty).unwrap(),
        value
    );
    let ty = Type::map(Type::Bool);
    let value = Value::Map(BTreeMap::new());
    assert_eq!(
        json::decode(json::encode(&value, &ty).unwrap().to_string().as_bytes(), &ty).unwrap(),
        value
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Differential: pyvider-cty, an independent implementation of go-cty's codec (Python, installed in the test venv
// by scripts/local-cognito-venv), re-encodes what we encode and what a third encoder writes. Both aim at go-cty's
// exact output, so the bytes must agree.

const DIFFERENTIAL_CASES: u32 = 300;

/// pyvider-cty's decode-and-re-encode of each case: its bytes, or why it refused.
fn pyvider_reencode(cases: &[(Type, Vec<u8>)]) -> Vec<Result<Vec<u8>, String>> {
    use crate::support::local_cognito::{ensure_venv, repo_root, venv_python};
    use std::io::{BufRead, BufReader, Write};
    ensure_venv().expect("scripts/local-cognito-venv installs pyvider-cty");
    let script = repo_root().join("tests/support/cty_differential.py");
    let mut child = std::process::Command::new(venv_python())
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start the pyvider-cty helper");
    let mut input = String::new();
    for (ty, bytes) in cases {
        let type_json: serde_json::Value = serde_json::from_slice(&json::type_to_json(ty)).expect("type JSON");
        let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        input.push_str(&serde_json::json!({"type": type_json, "msgpack": hex}).to_string());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let answers: Vec<Result<Vec<u8>, String>> = BufReader::new(child.stdout.take().expect("stdout is piped"))
        .lines()
        .map(|line| {
            let answer: serde_json::Value = serde_json::from_str(&line.expect("read a line")).expect("a JSON line");
            match (answer["msgpack"].as_str(), answer["error"].as_str()) {
                (Some(hex), _) => Ok((0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
                    .collect()),
                (None, Some(error)) => Err(error.to_string()),
                _ => Err(format!("unexpected answer {answer}")),
            }
        })
        .collect();
    writer.join().expect("writer thread").expect("write the cases");
    assert!(child.wait().expect("the helper exits").success());
    assert_eq!(answers.len(), cases.len(), "one answer per case");
    answers
}

/// `count` generated (type, value) pairs, the same on every run.
fn sample(flavor: Flavor, count: u32) -> Vec<(Type, Value)> {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = arb_typed_value(flavor);
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).expect("generate a case").current())
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Terraform-like inputs where go-cty's rules show: decomposed accents, repeated and unsorted set elements, the
/// exact value of a float64, `1e4096` as Terraform writes it, integers beyond i64.
fn go_cty_corner_cases() -> Vec<(Type, Vec<u8>)> {
    use rmpv::Value as Mp;
    let strings = Type::set(Type::String);
    let numbers = Type::list(Type::Number);
    vec![
        (
            Type::String,
            rmpv_bytes(&Mp::from("e\u{301}te\u{301} A\u{30a}ngstro\u{308}m")),
        ),
        (
            strings.clone(),
            rmpv_bytes(&Mp::Array(vec![
                Mp::from("b"),
                Mp::from("a"),
                Mp::Nil,
                Mp::from("b"),
                Mp::from("a\u{300}"),
            ])),
        ),
        (
            numbers,
            rmpv_bytes(&Mp::Array(vec![
                Mp::F64(0.1),
                Mp::F64(-1e-300),
                Mp::from(format!("1{}", "0".repeat(4096))),
                Mp::from("18446744073709551616"),
                Mp::from("-0.000125"),
                Mp::from(u64::MAX),
            ])),
        ),
        (
            Type::set(Type::Number),
            rmpv_bytes(&Mp::Array(vec![
                Mp::from(10),
                Mp::from("1e1"),
                Mp::F64(2.5),
                Mp::from(-3),
                Mp::from("2.50"),
            ])),
        ),
    ]
}

/// Whether go-cty's bytes for `value` are fully determined, so that two faithful encoders must write the same
/// bytes: go-cty leaves undefined the order of set elements that are not primitives and the order of unknown
/// elements among themselves, and pyvider-cty writes the type JSON of `dynamic` values with non-ASCII characters
/// escaped, where go-cty writes them as they are.
fn bytes_are_determined(value: &Value, ty: &Type) -> bool {
    fn type_is_determined(ty: &Type, in_dynamic: bool) -> bool {
        match ty {
            Type::Set(element) => {
                matches!(**element, Type::String | Type::Number | Type::Bool) && type_is_determined(element, in_dynamic)
            }
            Type::List(element) | Type::Map(element) => type_is_determined(element, in_dynamic),
            Type::Tuple(elements) => elements.iter().all(|element| type_is_determined(element, in_dynamic)),
            Type::Object { attributes, .. } => attributes
                .iter()
                .all(|(name, attribute)| (!in_dynamic || name.is_ascii()) && type_is_determined(attribute, in_dynamic)),
            _ => true,
        }
    }
    fn order_is_determined(value: &Value) -> bool {
        match value {
            Value::Dynamic { ty, value } => type_is_determined(ty, true) && order_is_determined(value),
            Value::Set(items) if items.iter().filter(|item| !item.is_wholly_known()).count() > 1 => false,
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => items.iter().all(order_is_determined),
            Value::Map(items) | Value::Object(items) => items.values().all(order_is_determined),
            _ => true,
        }
    }
    type_is_determined(ty, false) && order_is_determined(value)
}

/// `value` with every set holding each element once, unknown or not. go-cty keeps repeated set elements that hold
/// unknowns (it cannot tell whether they are equal); pyvider-cty drops them.
fn collapse_sets(value: &Value) -> Value {
    match value {
        Value::Set(items) => {
            let mut items: Vec<Value> = items.iter().map(collapse_sets).collect();
            items.sort_by(Value::canonical_cmp);
            items.dedup_by(|a, b| a.canonical_cmp(b).is_eq());
            Value::Set(items)
        }
        Value::List(items) => Value::List(items.iter().map(collapse_sets).collect()),
        Value::Tuple(items) => Value::Tuple(items.iter().map(collapse_sets).collect()),
        Value::Map(items) => Value::Map(items.iter().map(|(k, v)| (k.clone(), collapse_sets(v))).collect()),
        Value::Object(items) => Value::Object(items.iter().map(|(k, v)| (k.clone(), collapse_sets(v))).collect()),
        Value::Dynamic { ty, value } => Value::Dynamic {
            ty: ty.clone(),
            value: Box::new(collapse_sets(value)),
        },
        other => other.clone(),
    }
}

/// Our bytes and pyvider-cty's agree: identical where go-cty's are determined, else meaning the same value.
fn assert_agree(ours: &[u8], theirs: &[u8], ty: &Type, context: &str) {
    let decoded = msgpack::decode(ours, ty).expect("our own encoding decodes");
    if bytes_are_determined(&decoded, ty) {
        assert_eq!(hex(theirs), hex(ours), "{context}");
    } else {
        let their_value = msgpack::decode(theirs, ty).unwrap_or_else(|error| panic!("{context}: {error}"));
        let (theirs, ours) = (collapse_sets(&their_value), collapse_sets(&decoded));
        assert!(theirs.semantically_equal(&ours), "{context}\n{theirs:?}\n!=\n{ours:?}");
    }
}

/// pyvider-cty's answer, or `None` where it refuses a null tuple inside another value, which go-cty accepts
/// (a known pyvider-cty bug). Any other refusal fails the test.
fn their_bytes(answer: Result<Vec<u8>, String>, input: &[u8], ty: &Type) -> Option<Vec<u8>> {
    match answer {
        Ok(bytes) => Some(bytes),
        Err(error) if error.ends_with("Expected tuple or list, got NoneType") => None,
        Err(error) => panic!("pyvider-cty refused {} as {ty:?}: {error}", hex(input)),
    }
}

/// At most one case in ten may be one pyvider-cty refuses by its known bug.
fn assert_mostly_compared(compared: usize, total: usize) {
    assert!(compared * 10 >= total * 9, "only {compared} of {total} cases compared");
}

#[test]
fn pyvider_cty_reencodes_our_encoding_byte_for_byte() {
    let cases: Vec<(Type, Vec<u8>)> = sample(ANY_VALUE, DIFFERENTIAL_CASES)
        .into_iter()
        .map(|(ty, value)| {
            let bytes = msgpack::encode(&value, &ty).expect("a conforming value encodes");
            (ty, bytes)
        })
        .collect();
    let mut compared = 0;
    for ((ty, ours), answer) in cases.iter().zip(pyvider_reencode(&cases)) {
        if let Some(theirs) = their_bytes(answer, ours, ty) {
            assert_agree(ours, &theirs, ty, &format!("{ty:?}"));
            compared += 1;
        }
    }
    assert_mostly_compared(compared, cases.len());
}

#[test]
fn pyvider_cty_and_we_read_other_encoders_alike() {
    let mut cases: Vec<(Type, Vec<u8>)> = sample(RAW_VALUE, DIFFERENTIAL_CASES)
        .into_iter()
        .map(|(ty, value)| {
            let bytes = rmpv_bytes(&independent(&value, &ty));
            (ty, bytes)
        })
        .collect();
    cases.extend(go_cty_corner_cases());
    let mut compared = 0;
    for ((ty, input), answer) in cases.iter().zip(pyvider_reencode(&cases)) {
        let decoded = msgpack::decode(input, ty).unwrap_or_else(|error| panic!("{} as {ty:?}: {error}", hex(input)));
        let ours = msgpack::encode(&decoded, ty).expect("a decoded value encodes");
        if let Some(theirs) = their_bytes(answer, input, ty) {
            assert_agree(&ours, &theirs, ty, &format!("input {} as {ty:?}", hex(input)));
            compared += 1;
        }
    }
    assert_mostly_compared(compared, cases.len());
}
