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
        Type::String => (not_null, proptest::option::of("\\PC{1,30}"))
            .prop_map(|(not_null, string_prefix)| Refinements {
                not_null,
                string_prefix,
                ..Default::default()
            })
            .boxed(),
        Type::Number => {
            let bound = || proptest::option::of((arb_finite_number(), any::<bool>()));
            (not_null, bound(), bound())
                .prop_map(|(not_null, number_lower, number_upper)| Refinements {
                    not_null,
                    number_lower,
                    number_upper,
                    ..Default::default()
                })
                .boxed()
        }
        Type::List(_) | Type::Set(_) | Type::Map(_) => (
            not_null,
            proptest::option::of(1i64..1000),
            proptest::option::of(0i64..i64::MAX),
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
}

const ANY_VALUE: Flavor = Flavor { unknowns: true };
const KNOWN_VALUE: Flavor = Flavor { unknowns: false };

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
        // Values as go-cty holds them: strings in NFC, sets in canonical order without repeats.
        Type::String => any::<String>()
            .prop_map(|text| Value::String(normalize_string(&text).into_owned()))
            .boxed(),
        Type::Number => arb_number(flavor.unknowns).prop_map(Value::Number).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::List(element) => vec(arb_value(element, flavor), 0..4).prop_map(Value::List).boxed(),
        Type::Set(element) => vec(arb_value(element, flavor), 0..4).prop_map(Value::set_of).boxed(),
        Type::Map(element) => btree_map(any::<String>(), arb_value(element, flavor), 0..4)
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
