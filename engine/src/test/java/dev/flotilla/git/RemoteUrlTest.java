package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RemoteUrlTest {
  @ParameterizedTest(name = "{0} is a URL: {1}")
  @CsvSource({
      "https://github.com/acme/fleet.git, true",
      "http://127.0.0.1:8080/fleet.git, true",
      "ssh://git@github.com/acme/fleet.git, true",
      "git@github.com:acme/fleet.git, true",
      "git://127.0.0.1:9418/fleet.git, true",
      "file:///srv/git/fleet.git, true",
      "fleet-repo-example, false",
      "/srv/fleet, false",
      "./fleet, false",
      "C:/fleet, false",
  })
  void tellsUrlsFromLocalPaths(String location, boolean url) {
    assertThat(RemoteUrl.isUrl(location)).isEqualTo(url);
  }

  @ParameterizedTest(name = "{0} shows as {1}")
  @CsvSource({
      "https://x-access-token:s3cret@github.com/acme/fleet.git, https://github.com/acme/fleet.git",
      "https://bob@github.com/acme/fleet.git, https://github.com/acme/fleet.git",
      "ssh://git:s3cret@host/fleet.git, ssh://git@host/fleet.git",
      "git@github.com:acme/fleet.git, git@github.com:acme/fleet.git",
  })
  void credentialsAreTakenOutOfTheUrl(String location, String shown) throws Exception {
    RemoteUrl url = RemoteUrl.parse(location);

    assertThat(url.display()).isEqualTo(shown);
    assertThat(url.toString()).doesNotContain("s3cret");
  }

  @ParameterizedTest
  @CsvSource({
      "https://x-access-token:s3cret@github.com/acme/fleet.git, https://github.com/acme/fleet.git",
  })
  void cacheKeyIgnoresCredentials(String withCredentials, String without) throws Exception {
    assertThat(RemoteUrl.parse(withCredentials).cacheKey())
        .isEqualTo(RemoteUrl.parse(without).cacheKey())
        .hasSize(16)
        .matches("[0-9a-f]{16}");
  }

  @ParameterizedTest
  @CsvSource({"https://x-access-token:s3cret@github.com/acme/fleet.git"})
  void embeddedPasswordIsKeptApartForAuthentication(String location) throws Exception {
    RemoteUrl url = RemoteUrl.parse(location);

    assertThat(url.embeddedUser()).isEqualTo("x-access-token");
    assertThat(url.embeddedPassword()).isEqualTo("s3cret");
  }
}
