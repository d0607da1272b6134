package io.spill;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.VarcharType;
import org.junit.jupiter.api.Test;

/** Spark refuses CHAR/VARCHAR in a reader's schema; spill reads them as the strings they are. */
class CharVarcharTest {
  @Test
  void charAndVarcharBecomeStringAtAnyDepthAndNothingElseChanges() {
    StructType schema = new StructType()
        .add("c", new CharType(5), false)
        .add("v", new VarcharType(9))
        .add("nested", new StructType().add("x", DataTypes.createArrayType(new CharType(2)))
            .add("m", DataTypes.createMapType(new VarcharType(3), DataTypes.LongType)))
        .add("n", DataTypes.createDecimalType(10, 2));
    assertThat(SparkParquet.charVarcharAsString(schema).simpleString()).isEqualTo(
        "struct<c:string,v:string,nested:struct<x:array<string>,m:map<string,bigint>>,"
            + "n:decimal(10,2)>");
    assertThat(SparkParquet.charVarcharAsString(schema).fields()[0].nullable()).isFalse();
  }
}
