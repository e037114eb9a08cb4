//! AutoMTLS. Terraform hands us its client certificate in `PLUGIN_CLIENT_CERT` and trusts exactly the server
//! certificate we print in the handshake line. Its client certificate is a self-signed ECDSA P-521 certificate
//! with `CA:TRUE`, which stock WebPKI client verification rejects as "CA used as end entity" (and the ring
//! provider cannot verify P-521 at all), so we verify it ourselves: the presented certificate must be
//! byte-for-byte the one Terraform announced, and its handshake signature is checked with aws-lc-rs.

use std::sync::Arc;

use rustls::DistinguishedName;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, ServerConfig, SignatureScheme};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("PLUGIN_CLIENT_CERT is set but holds no PEM certificate; unset it to serve without TLS")]
    NoClientCertificate,
    #[error("PLUGIN_CLIENT_CERT is not valid PEM: {0}")]
    InvalidPem(std::io::Error),
    #[error("PLUGIN_CLIENT_CERT does not hold an X.509 certificate: {0}")]
    InvalidCertificate(rustls::Error),
    #[error("could not generate the server certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("could not build the TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
}

/// The server side of AutoMTLS for one process start.
pub struct AutoMtls {
    pub server_config: Arc<ServerConfig>,
    /// DER of our certificate: goes base64-encoded into the handshake line.
    pub server_certificate_der: Vec<u8>,
}

fn crypto_provider() -> Arc<CryptoProvider> {
    // Never the process default: with both ring and aws-lc-rs compiled in, rustls would panic choosing one.
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// Builds the TLS configuration: a fresh key and certificate, the exact-certificate client verifier, ALPN h2.
pub fn configure(client_certificate_pem: &str) -> Result<AutoMtls, TlsError> {
    let client_der = parse_client_certificate(client_certificate_pem)?;
    let (server_certificate_der, key_der) = generate_server_certificate()?;
    let provider = crypto_provider();
    let verifier = Arc::new(ExactClientCertificate {
        expected: client_der,
        algorithms: provider.signature_verification_algorithms,
    });
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![CertificateDer::from(server_certificate_der.clone())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_der)),
        )?;
    // grpc-go ≥ 1.67 (Terraform ≥ 1.12) refuses TLS servers that do not negotiate ALPN.
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(AutoMtls {
        server_config: Arc::new(config),
        server_certificate_der,
    })
}

/// The first certificate of the PEM text, which must parse as X.509: a certificate that cannot be parsed could
/// never be presented by Terraform, and serving with it would only lock Terraform out.
fn parse_client_certificate(pem: &str) -> Result<CertificateDer<'static>, TlsError> {
    let mut reader = std::io::BufReader::new(pem.as_bytes());
    let certificate = match rustls_pemfile::certs(&mut reader).next() {
        Some(Ok(certificate)) => certificate,
        Some(Err(error)) => return Err(TlsError::InvalidPem(error)),
        None => return Err(TlsError::NoClientCertificate),
    };
    rustls::server::ParsedCertificate::try_from(&certificate).map_err(TlsError::InvalidCertificate)?;
    Ok(certificate)
}

/// A P-256 leaf for `localhost` (the name Terraform's client verifies), valid for both TLS roles.
fn generate_server_certificate() -> Result<(Vec<u8>, Vec<u8>), TlsError> {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(rcgen::DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "terraform-provider-cognito");
    params.is_ca = rcgen::IsCa::NoCa;
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let now = std::time::SystemTime::now();
    params.not_before = (now - std::time::Duration::from_secs(30)).into();
    params.not_after = (now + std::time::Duration::from_secs(60 * 60 * 24 * 365)).into();
    let certificate = params.self_signed(&key)?;
    Ok((certificate.der().to_vec(), key.serialize_der()))
}

/// Accepts exactly one client certificate, whatever its extensions say.
#[derive(Debug)]
struct ExactClientCertificate {
    expected: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for ExactClientCertificate {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            tracing::warn!("refused a TLS client whose certificate is not the one Terraform announced");
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terraform_like_client_certificate() -> String {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn builds_with_a_p521_ca_client_certificate_and_offers_p521() {
        let pem = terraform_like_client_certificate();
        let mtls = configure(&pem).unwrap();
        assert_eq!(mtls.server_config.alpn_protocols, vec![b"h2".to_vec()]);
        assert!(!mtls.server_certificate_der.is_empty());
        let provider = crypto_provider();
        assert!(
            provider
                .signature_verification_algorithms
                .supported_schemes()
                .contains(&SignatureScheme::ECDSA_NISTP521_SHA512)
        );
    }

    #[test]
    fn only_the_announced_certificate_is_accepted() {
        let announced = parse_client_certificate(&terraform_like_client_certificate()).unwrap();
        let other = parse_client_certificate(&terraform_like_client_certificate()).unwrap();
        let verifier = ExactClientCertificate {
            expected: announced.clone(),
            algorithms: crypto_provider().signature_verification_algorithms,
        };
        assert!(verifier.verify_client_cert(&announced, &[], UnixTime::now()).is_ok());
        assert!(verifier.verify_client_cert(&other, &[], UnixTime::now()).is_err());
    }

    #[test]
    fn fresh_certificate_per_start() {
        let pem = terraform_like_client_certificate();
        assert_ne!(
            configure(&pem).unwrap().server_certificate_der,
            configure(&pem).unwrap().server_certificate_der
        );
    }

    #[test]
    fn garbage_certificates_are_errors() {
        for empty in ["", "   \n", "not a certificate"] {
            assert!(
                matches!(configure(empty), Err(TlsError::NoClientCertificate)),
                "{empty:?}"
            );
        }
        let not_x509 = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";
        assert!(matches!(configure(not_x509), Err(TlsError::InvalidCertificate(_))));
    }
}
