//! 18+ attestations: who may attest, and when an attestation counts.

use super::*;

#[ink::test]
fn only_attested_performers_receive_tips() {
    let mut token = livestars();
    let DefaultAccounts {
        alice,
        charlie,
        django,
        eve,
        ..
    } = accounts();
    set_caller(charlie);
    token.register([2; 32], 500).unwrap();
    assert_eq!(
        tip_as(&mut token, django, charlie, LIVE),
        Err(Error::NotAttested)
    );
    set_caller(eve);
    assert_eq!(
        token.set_adult_attestation(charlie, true),
        Err(Error::NotVerifier)
    );
    set_caller(alice);
    token.set_verifier(eve, true).unwrap();
    token.set_adult_attestation(charlie, true).unwrap();
    assert!(token.is_adult_attested(charlie));
    // another listed verifier can neither overwrite nor withdraw it
    set_caller(eve);
    assert_eq!(
        token.set_adult_attestation(charlie, false),
        Err(Error::AttestedByAnother)
    );
    assert_eq!(tip_as(&mut token, django, charlie, LIVE), Ok(0));
    // delisting voids the attestation, and listing again does not revive it
    set_caller(alice);
    token.set_verifier(alice, false).unwrap();
    assert!(!token.is_adult_attested(charlie));
    assert_eq!(
        tip_as(&mut token, django, charlie, LIVE),
        Err(Error::NotAttested)
    );
    set_caller(alice);
    token.set_verifier(alice, true).unwrap();
    assert!(!token.is_adult_attested(charlie));
    // a void attestation may be replaced by a listed verifier
    set_caller(eve);
    assert_eq!(token.set_adult_attestation(charlie, true), Ok(()));
    assert_event(
        events().last().unwrap(),
        AdultAttestationChanged {
            performer: charlie,
            verifier: eve,
            adult: true,
        },
    );
    assert!(token.is_adult_attested(charlie));
}
