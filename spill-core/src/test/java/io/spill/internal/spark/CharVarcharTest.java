package io.spill.internal.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.VarcharType;
import org.junit.jupiter.api.Test;

/** Spark refuses CHAR/VARCHAR in a reader's schema; spill reads them as the strings they are. */
class CharVarcharTest {
  @Test
  void charAndVarcharBecomeStringAtAnyDepthAndNothingElseChanges() {
    StructType schema =
        StructType.fromDDL(
            "c CHAR(5) NOT NULL, v VARCHAR(9),"
                + " nested STRUCT<x: ARRAY<CHAR(2)>, m: MAP<VARCHAR(3), BIGINT>>, n DECIMAL(10,2)");
    assertThat(schema.fields()[0].dataType()).isInstanceOf(CharType.class);
    assertThat(schema.fields()[1].dataType()).isInstanceOf(VarcharType.class);
    assertThat(SparkParquet.charVarcharAsString(schema).simpleString())
        .isEqualTo(
            "struct<c:string,v:string,nested:struct<x:array<string>,m:map<string,bigint>>,"
                + "n:decimal(10,2)>");
    assertThat(SparkParquet.charVarcharAsString(schema).fields()[0].nullable()).isFalse();
  }
}
