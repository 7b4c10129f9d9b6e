package io.kvstore.data.lifecycle;

import io.kvstore.data.annotation.Indexed;
import java.time.Instant;
import org.springframework.data.annotation.CreatedBy;
import org.springframework.data.annotation.CreatedDate;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.LastModifiedBy;
import org.springframework.data.annotation.LastModifiedDate;
import org.springframework.data.annotation.Version;
import org.springframework.data.keyvalue.annotation.KeySpace;

/** Versioned and audited. */
@KeySpace("accounts")
public class Account {
    @Id
    public String id;
    @Indexed
    public String owner;
    public long balance;
    @Version
    public Long version;
    @CreatedDate
    public Instant created;
    @LastModifiedDate
    public Instant modified;
    @CreatedBy
    public String createdBy;
    @LastModifiedBy
    public String modifiedBy;

    public Account() {
    }

    public Account(String id, String owner, long balance) {
        this.id = id;
        this.owner = owner;
        this.balance = balance;
    }
}
