-- Every revision of every relief disbursement batch, with the days it was current.
select
    disbursement_id,
    revision_number,
    known_from,
    known_until,
    is_current,
    disbursed_on,
    region_code,
    fund_source_code,
    program_code,
    disaster_id,
    households,
    persons,
    amount_yuan,
    fund_year,
    file_name,
    source_row_number,
    loaded_at
from {{ ref('stg_raw__relief_revisions') }}
