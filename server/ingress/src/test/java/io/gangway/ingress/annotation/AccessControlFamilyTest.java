package io.gangway.ingress.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessControlFamilyTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1/32",
    "10.1.2.3/8, 10.0.0.0/8",
    "0.0.0.0/0, 0.0.0.0/0",
    "192.168.1.255/31, 192.168.1.254/31",
    "::1, ::1/128",
    "2001:DB8:0:0:1::/32, 2001:db8::/32",
    "2001:db8::1:0:0:1/128, 2001:db8::1:0:0:1/128",
    "fe80::1/10, fe80::/10",
    "::/0, ::/0"
  })
  void normalise_clearsHostBits_andWritesTheShortestForm(String entry, String expected) {
    assertThat(AccessControlFamily.normalise(entry)).hasValue(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "example.com",
        "10.0.0.0/33",
        "::/129",
        "10.0.0.256",
        "10.0.0",
        "010.0.0.1",
        "10.0.0.1/",
        "10.0.0.1/-1",
        "10.0.0.1/8/8",
        "1.2.3.4 ",
        ":::",
        "1::2::3",
        "10.0.0.1%eth0"
      })
  void normalise_rejectsAnythingButALiteralAddressOrRange(String entry) {
    assertThat(AccessControlFamily.normalise(entry)).isEmpty();
  }
}
