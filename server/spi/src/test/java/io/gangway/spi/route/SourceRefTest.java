package io.gangway.spi.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SourceRefTest {

  @Test
  void toString_fileIsThePathOthersArePrefixed() {
    assertThat(SourceRef.file("conf/routes/a.yaml")).hasToString("conf/routes/a.yaml");
    assertThat(new SourceRef("nacos", "ns/g/ingresses.a")).hasToString("nacos:ns/g/ingresses.a");
  }

  @Test
  void compareTo_ordersBySchemeThenLocation() {
    List<SourceRef> sorted =
        Stream.of(new SourceRef("nacos", "a"), SourceRef.file("b"), SourceRef.file("a"))
            .sorted()
            .toList();
    assertThat(sorted)
        .containsExactly(SourceRef.file("a"), SourceRef.file("b"), new SourceRef("nacos", "a"));
  }

  @Test
  void routeSnapshot_copiesItsList() {
    java.util.ArrayList<RouteDocument> docs = new java.util.ArrayList<>();
    RouteSnapshot s = new RouteSnapshot(docs);
    docs.add(new RouteDocument(SourceRef.file("a"), "", "v"));
    assertThat(s.documents()).isEmpty();
  }
}
